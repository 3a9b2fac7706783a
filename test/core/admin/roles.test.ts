import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import type { AuthEvent } from '../../../src/index.js';
import { sqliteTestDatabase, type TestDatabase } from '../../support/services.js';
import { createTestAuth, expectAuthError, PASSWORD, type TestAuth } from '../helpers.js';

describe.each(['memory', 'sqlite'] as const)('grantRole and revokeRole (%s)', (kind) => {
  let database: TestDatabase | null = null;
  let t: TestAuth;

  beforeEach(async () => {
    if (kind === 'sqlite') {
      database = await sqliteTestDatabase();
      await migrate(database.db);
      t = createTestAuth({ storage: kyselyStorage(database.db) });
    } else {
      t = createTestAuth();
    }
  });

  afterEach(async () => {
    await database?.destroy();
    database = null;
  });

  function collect(): AuthEvent[] {
    const seen: AuthEvent[] = [];
    t.auth.events.on('account.role-changed', (e) => void seen.push(e));
    t.auth.events.on('account.updated', (e) => void seen.push(e));
    return seen;
  }

  it('grants by email (as typed), idempotently, with account.role-changed and account.updated once', async () => {
    const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    const seen = collect();
    const granted = await t.auth.grantRole({ email: ' Ada@Example.com ', role: 'admin' });
    expect(granted.roles).toEqual(['admin']);
    expect(granted.id).toBe(account.id);
    const again = await t.auth.grantRole({ accountId: account.id, role: 'admin' });
    expect(again.roles).toEqual(['admin']);
    expect(seen.map((e) => e.event)).toEqual(['account.role-changed', 'account.updated']);
    expect(seen[0]!.data).toMatchObject({ role: 'admin', change: 'granted', account: { id: account.id, roles: ['admin'] } });
    expect((await t.auth.getAccount({ accountId: account.id })).roles).toEqual(['admin']);
  });

  it('keeps other roles, sorted, and revokes only the one named, idempotently', async () => {
    const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    await t.auth.grantRole({ accountId: account.id, role: 'support' });
    await t.auth.grantRole({ accountId: account.id, role: 'admin' });
    expect((await t.auth.getAccount({ accountId: account.id })).roles).toEqual(['admin', 'support']);
    const seen = collect();
    expect((await t.auth.revokeRole({ email: 'ada@example.com', role: 'admin' })).roles).toEqual(['support']);
    expect((await t.auth.revokeRole({ email: 'ada@example.com', role: 'admin' })).roles).toEqual(['support']);
    expect(seen.map((e) => e.event)).toEqual(['account.role-changed', 'account.updated']);
    expect(seen[0]!.data).toMatchObject({ role: 'admin', change: 'revoked' });
  });

  it('refuses bad role names and a target named neither or both ways', async () => {
    const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    for (const role of ['', 'Admin', '1admin', 'a'.repeat(33), 'ad min', 'admin\u0000', '_admin']) {
      const error = await expectAuthError(t.auth.grantRole({ accountId: account.id, role }), 'validation_failed');
      expect(error.details).toEqual([expect.objectContaining({ path: 'role' })]);
    }
    await t.auth.grantRole({ accountId: account.id, role: 'a'.repeat(32) });
    await t.auth.grantRole({ accountId: account.id, role: 'support_agent-2' });
    await expectAuthError(t.auth.grantRole({ role: 'admin' }), 'validation_failed');
    await expectAuthError(t.auth.grantRole({ accountId: account.id, email: 'ada@example.com', role: 'admin' }), 'validation_failed');
  });

  it('answers not_found for an unknown, deleted or other-group account', async () => {
    await expectAuthError(t.auth.grantRole({ email: 'nobody@example.com', role: 'admin' }), 'not_found');
    await expectAuthError(t.auth.revokeRole({ accountId: 'acc_unknown', role: 'admin' }), 'not_found');
    await t.auth.createGroup({ id: 'acme' });
    await t.auth.register({ group: 'acme', email: 'ada@example.com', password: PASSWORD });
    await expectAuthError(t.auth.grantRole({ email: 'ada@example.com', role: 'admin' }), 'not_found');
    const acme = await t.auth.grantRole({ group: 'acme', email: 'ada@example.com', role: 'admin' });
    expect(acme).toMatchObject({ group: 'acme', roles: ['admin'] });
    const deleted = await t.auth.register({ email: 'gone@example.com', password: PASSWORD });
    await t.auth.deleteAccount({ accountId: deleted.id, password: PASSWORD });
    await expectAuthError(t.auth.grantRole({ accountId: deleted.id, role: 'admin' }), 'not_found');
  });
});
