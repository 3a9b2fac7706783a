import { afterEach, describe, expect, it } from 'vitest';
import type { AuthEvent, Storage } from '../../../src/index.js';
import { memoryStorage } from '../../../src/memory.js';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import { sqliteTestDatabase, type TestDatabase } from '../../support/services.js';
import { createTestAuth, PASSWORD, registerAndLogin } from '../helpers.js';

/** `base`, whose outbox refuses appends while `failing()` holds, inside transactions too. */
function withFailingOutbox(base: Storage, failing: () => boolean): Storage {
  const wrap = (storage: Storage): Storage => ({
    ...storage,
    outbox: {
      ...storage.outbox,
      append: (event) => (failing() ? Promise.reject(new Error('disk full')) : storage.outbox.append(event)),
    },
    transaction: (work) => storage.transaction((tx) => work(wrap(tx))),
  });
  return wrap(base);
}

const databases: Array<[string, () => Promise<{ storage: Storage; close(): Promise<void> }>]> = [
  ['memory', async () => ({ storage: memoryStorage(), close: async () => {} })],
  [
    'sqlite',
    async () => {
      const database: TestDatabase = await sqliteTestDatabase();
      await migrate(database.db);
      return { storage: kyselyStorage(database.db), close: () => database.destroy() };
    },
  ],
];

describe.each(databases)('the change and its event are written together (%s)', (_name, open) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
  });

  it('a registration whose event cannot be written rolls back: no account, no event heard', async () => {
    const db = await open();
    close = db.close;
    let failing = false;
    const t = createTestAuth({ storage: withFailingOutbox(db.storage, () => failing) });
    await registerAndLogin(t.auth, { email: 'first@example.com' }); // makes the group
    const heard: AuthEvent<'account.created'>[] = [];
    t.auth.events.on('account.created', (event) => void heard.push(event));

    failing = true;
    await expect(t.auth.register({ email: 'ada@example.com', password: PASSWORD })).rejects.toThrow();
    expect(await db.storage.accounts.findByEmail('default', 'ada@example.com')).toBeNull();
    expect(heard).toEqual([]);

    failing = false;
    const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    expect(heard.map((event) => event.data.account.id)).toEqual([account.id]);
    const feed = await t.auth.listEvents({ event: 'account.created' });
    expect(feed.data.map((event) => (event.data as { account: { id: string } }).account.id)).toContain(account.id);
  });

  it('a lock whose event cannot be written leaves the account active and its sessions live', async () => {
    const db = await open();
    close = db.close;
    let failing = false;
    const t = createTestAuth({ storage: withFailingOutbox(db.storage, () => failing) });
    const { account, accessToken } = await registerAndLogin(t.auth);
    failing = true;
    await expect(t.auth.adminLockAccount({ accountId: account.id })).rejects.toThrow();
    expect((await db.storage.accounts.findById('default', account.id))!.status).toBe('active');
    await expect(t.auth.verifyAccessToken(accessToken)).resolves.toMatchObject({ sub: account.id });
  });

  it('a sign-in whose event cannot be written opens no session', async () => {
    const db = await open();
    close = db.close;
    let failing = false;
    const t = createTestAuth({ storage: withFailingOutbox(db.storage, () => failing) });
    const { account } = await registerAndLogin(t.auth);
    const before = (await db.storage.sessions.listByAccount('default', account.id)).length;
    failing = true;
    await expect(t.auth.login({ email: 'ada@example.com', password: PASSWORD })).rejects.toThrow();
    expect(await db.storage.sessions.listByAccount('default', account.id)).toHaveLength(before);
  });
});
