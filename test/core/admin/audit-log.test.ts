import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditLogRecord, Logger, Storage } from '../../../src/index.js';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import { sqliteTestDatabase, type TestDatabase } from '../../support/services.js';
import { createTestAuth, expectAuthError, registerAndLogin, type TestAuth } from '../helpers.js';

const ADMIN = 'acc_admin';
const IP = '203.0.113.7';

describe.each(['memory', 'sqlite'] as const)('audit log of admin actions (%s)', (kind) => {
  let database: TestDatabase | null = null;
  let t: TestAuth;
  let target: string;

  beforeEach(async () => {
    if (kind === 'sqlite') {
      database = await sqliteTestDatabase();
      await migrate(database.db);
      t = createTestAuth({ storage: kyselyStorage(database.db) });
    } else {
      t = createTestAuth();
    }
    target = (await registerAndLogin(t.auth)).account.id;
  });

  afterEach(async () => {
    await database?.destroy();
    database = null;
  });

  const entries = async (group = 'default'): Promise<AuditLogRecord[]> =>
    (await t.storage.auditLog.list(group, { limit: 100 })).data;

  /** Runs `action` and asserts it left exactly one entry, which it returns. */
  async function exactlyOne(action: () => Promise<unknown>): Promise<AuditLogRecord> {
    const before = await entries();
    t.clock.advance(1); // entries of one millisecond are ordered by their random id
    await action();
    const after = await entries();
    expect(after).toHaveLength(before.length + 1);
    const entry = after[0]!;
    expect(entry.time).toEqual(t.clock.now());
    expect(entry.id).toMatch(/^aud_/);
    return entry;
  }

  const who = { actorId: ADMIN, actorIp: IP, targetType: 'account', group: 'default' };

  it('records a lock, an unlock and a hard delete with actor, address and target', async () => {
    const lock = await exactlyOne(() => t.auth.adminLockAccount({ accountId: target, actorId: ADMIN, ip: IP }));
    expect(lock).toMatchObject({ ...who, action: 'account.lock', targetId: target, details: { sessionsRevoked: 1 } });
    t.clock.advance(1);
    const unlock = await exactlyOne(() => t.auth.adminUnlockAccount({ accountId: target, actorId: ADMIN, ip: IP }));
    expect(unlock).toMatchObject({ ...who, action: 'account.unlock', targetId: target, details: { changed: true } });
    t.clock.advance(1);
    const again = await exactlyOne(() => t.auth.adminUnlockAccount({ accountId: target, actorId: ADMIN, ip: IP }));
    expect(again).toMatchObject({ action: 'account.unlock', details: { changed: false } });
    t.clock.advance(1);
    const del = await exactlyOne(() => t.auth.adminDeleteAccount({ accountId: target, actorId: ADMIN, ip: IP }));
    // The entry outlives the account it names.
    expect(del).toStrictEqual({ ...who, id: del.id, time: del.time, action: 'account.delete', targetId: target, details: null });
    expect((await entries()).map((e) => e.action)).toEqual(['account.delete', 'account.unlock', 'account.unlock', 'account.lock']);
  });

  it('records role grants and revokes, by the app too (actor null)', async () => {
    const grant = await exactlyOne(() => t.auth.grantRole({ accountId: target, role: 'admin', actorId: ADMIN, ip: IP }));
    expect(grant).toMatchObject({ ...who, action: 'role.grant', targetId: target, details: { role: 'admin', changed: true } });
    const byApp = await exactlyOne(() => t.auth.grantRole({ email: 'ada@example.com', role: 'admin' }));
    expect(byApp).toMatchObject({ actorId: null, actorIp: null, action: 'role.grant', targetId: target, details: { changed: false } });
    const revoke = await exactlyOne(() => t.auth.revokeRole({ accountId: target, role: 'admin', actorId: ADMIN, ip: IP }));
    expect(revoke).toMatchObject({ ...who, action: 'role.revoke', targetId: target, details: { role: 'admin', changed: true } });
  });

  it('records nothing for reads and for actions that failed', async () => {
    await t.auth.adminGetAccount({ accountId: target, actorId: ADMIN });
    await expectAuthError(t.auth.adminLockAccount({ accountId: 'acc_nope', actorId: ADMIN, ip: IP }), 'not_found');
    await expectAuthError(t.auth.grantRole({ accountId: target, role: 'Not A Role', actorId: ADMIN }), 'validation_failed');
    await t.auth.createGroup({ id: 'acme' });
    await expectAuthError(t.auth.adminDeleteAccount({ group: 'acme', accountId: target, actorId: ADMIN }), 'not_found');
    expect(await entries()).toEqual([]);
    expect(await entries('acme')).toEqual([]);
  });

  it('listAuditLog pages the group\'s log newest first, and only that group', async () => {
    await t.auth.createGroup({ id: 'acme' });
    const other = (await registerAndLogin(t.auth, { group: 'acme' })).account.id;
    await t.auth.adminLockAccount({ group: 'acme', accountId: other, actorId: ADMIN, ip: IP });
    for (const step of [0, 1, 2]) {
      t.clock.advance(1);
      await (step % 2 === 0 ? t.auth.adminLockAccount : t.auth.adminUnlockAccount)({ accountId: target, actorId: ADMIN, ip: IP });
    }
    const first = await t.auth.listAuditLog({ limit: 2 });
    expect(first.data.map((e) => e.action)).toEqual(['account.lock', 'account.unlock']);
    expect(first.data[0]).toStrictEqual({
      id: first.data[0]!.id,
      time: t.clock.now().toISOString(),
      actor: { id: ADMIN, ip: IP },
      action: 'account.lock',
      target: { type: 'account', id: target },
      details: { sessionsRevoked: 0 },
    });
    const second = await t.auth.listAuditLog({ limit: 2, cursor: first.nextCursor });
    expect(second.data.map((e) => e.action)).toEqual(['account.lock']);
    expect(second.nextCursor).toBeNull();
    expect((await t.auth.listAuditLog({ group: 'acme' })).data.map((e) => e.target.id)).toEqual([other]);
    await expectAuthError(t.auth.listAuditLog({ cursor: 'nope' }), 'validation_failed');
  });

  it('forgets entries older than auditLog.retention (400 days) when the purge runs, and only those', async () => {
    await t.auth.adminLockAccount({ accountId: target, actorId: ADMIN, ip: IP });
    t.clock.advance(200 * 86_400);
    await t.auth.adminUnlockAccount({ accountId: target, actorId: ADMIN, ip: IP });
    t.clock.advance(200 * 86_400);
    expect((await t.auth.purgeDeletedAccounts()).auditEntriesRemoved).toBe(0);
    t.clock.advance(1);
    expect((await t.auth.purgeDeletedAccounts()).auditEntriesRemoved).toBe(1);
    expect((await entries()).map((entry) => entry.action)).toEqual(['account.unlock']);
  });
});

describe('audit log failures', () => {
  it('logs a storage failure and does not fail the admin action that already happened', async () => {
    const errors: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (message) => void errors.push(message) };
    const base = createTestAuth().storage;
    const storage: Storage = {
      ...base,
      auditLog: { ...base.auditLog, record: async () => Promise.reject(new Error('disk full')) },
    };
    const t = createTestAuth({ storage, logger });
    const { account } = await registerAndLogin(t.auth);
    const locked = await t.auth.adminLockAccount({ accountId: account.id, actorId: ADMIN, ip: IP });
    expect(locked.state.status).toBe('locked');
    expect(errors).toEqual(['could not record an admin action in the audit log']);
  });
});
