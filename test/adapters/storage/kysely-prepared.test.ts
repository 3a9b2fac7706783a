import { describe, expect, it } from 'vitest';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import { sqliteTestDatabase } from '../../support/services.js';
import type { AccountRepository } from '../../../src/index.js';

describe('kyselyStorage: repositories made on first use', () => {
  it('lists every repository, and an app may still replace one with its own wrapper', async () => {
    const database = await sqliteTestDatabase();
    try {
      await migrate(database.db);
      const storage = kyselyStorage(database.db);
      expect(Object.keys(storage)).toEqual(expect.arrayContaining(['accounts', 'sessions', 'refreshTokens', 'transaction']));
      const seen: string[] = [];
      const inner = storage.accounts;
      const wrapped: AccountRepository = { ...inner, findById: (group, id) => (seen.push(id), inner.findById(group, id)) };
      storage.accounts = wrapped;
      expect(storage.accounts).toBe(wrapped);
      expect(await storage.accounts.findById('default', 'acc_missing')).toBeNull();
      expect(seen).toEqual(['acc_missing']);
      // One not yet used can be replaced before it is ever made.
      const sessions = { ...storage.sessions };
      const fresh = kyselyStorage(database.db);
      fresh.sessions = sessions;
      expect(fresh.sessions).toBe(sessions);
    } finally {
      await database.destroy();
    }
  });
});
