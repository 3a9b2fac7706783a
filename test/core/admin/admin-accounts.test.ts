import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import type { AuthEvent } from '../../../src/index.js';
import { sqliteTestDatabase, type TestDatabase } from '../../support/services.js';
import { createTestAuth, expectAuthError, PASSWORD, registerAndLogin, type TestAuth } from '../helpers.js';

describe.each(['memory', 'sqlite'] as const)('admin account operations (%s)', (kind) => {
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

  function collect(...names: Parameters<TestAuth['auth']['events']['on']>[0][]): AuthEvent[] {
    const seen: AuthEvent[] = [];
    for (const name of names) t.auth.events.on(name, (e) => void seen.push(e));
    return seen;
  }

  it('adminGetAccount reads any state in its group only', async () => {
    const tokens = await registerAndLogin(t.auth);
    const id = tokens.account.id;
    expect(await t.auth.adminGetAccount({ accountId: id })).toMatchObject({ id, state: { status: 'active' } });
    await t.auth.createGroup({ id: 'acme' });
    await expectAuthError(t.auth.adminGetAccount({ group: 'acme', accountId: id }), 'not_found');
    await expectAuthError(t.auth.adminGetAccount({ accountId: 'acc_nope' }), 'not_found');
  });

  it('adminLockAccount locks with reason admin, ends every session, refuses sign-in; a panic cannot take it over', async () => {
    const tokens = await registerAndLogin(t.auth);
    const id = tokens.account.id;
    const seen = collect('account.locked', 'session.revoked');
    const locked = await t.auth.adminLockAccount({ accountId: id, actorId: 'acc_admin' });
    expect(locked.state).toMatchObject({ status: 'locked', reason: 'admin' });
    expect(seen.map((e) => e.event)).toEqual(['account.locked', 'session.revoked']);
    expect(seen[1]!.data).toMatchObject({ accountId: id, reason: 'admin_locked' });
    await expectAuthError(t.auth.verifyAccessToken(tokens.accessToken), 'unauthenticated');
    await expectAuthError(t.auth.refresh({ refreshToken: tokens.refreshToken }), 'unauthenticated');
    await expectAuthError(t.auth.login({ email: 'ada@example.com', password: PASSWORD }), 'account_locked');
    // Again: nothing changes and nothing is emitted.
    expect((await t.auth.adminLockAccount({ accountId: id })).state.reason).toBe('admin');
    expect(seen).toHaveLength(2);
    // A panic does not turn it into one the owner could unlock.
    await t.auth.panicLock({ accountId: id });
    expect((await t.auth.adminGetAccount({ accountId: id })).state.reason).toBe('admin');
  });

  it('adminLockAccount takes over a panic lock, and adminUnlockAccount lifts either', async () => {
    const tokens = await registerAndLogin(t.auth);
    const id = tokens.account.id;
    await t.auth.panicLock({ accountId: id });
    const seen = collect('account.locked', 'account.unlocked');
    const unlocked = await t.auth.adminUnlockAccount({ accountId: id });
    expect(unlocked.state).toMatchObject({ status: 'active', reason: null });
    expect(seen.map((e) => e.event)).toEqual(['account.unlocked']);
    expect((await t.auth.login({ email: 'ada@example.com', password: PASSWORD })).account.id).toBe(id);

    await t.auth.panicLock({ accountId: id });
    expect((await t.auth.adminLockAccount({ accountId: id })).state).toMatchObject({ status: 'locked', reason: 'admin' });
    // The panic's lock, then the administrator's.
    expect(seen.map((e) => e.event)).toEqual(['account.unlocked', 'account.locked', 'account.locked']);
    await t.auth.adminUnlockAccount({ accountId: id });
    // Unlocking an active account changes nothing.
    expect((await t.auth.adminUnlockAccount({ accountId: id })).state.status).toBe('active');
    expect(seen.map((e) => e.event)).toEqual(['account.unlocked', 'account.locked', 'account.locked', 'account.unlocked']);
  });

  it('adminDeleteAccount removes everything at once; the email registers again', async () => {
    const tokens = await registerAndLogin(t.auth);
    const id = tokens.account.id;
    const seen = collect('account.deleted', 'session.revoked');
    const gone = await t.auth.adminDeleteAccount({ accountId: id });
    expect(gone).toMatchObject({ id, state: { status: 'deleted' } });
    expect(gone.events.deletedAt).not.toBeNull();
    expect(seen.map((e) => e.event)).toEqual(['session.revoked', 'account.deleted']);
    expect(await t.storage.accounts.findById('default', id)).toBeNull();
    expect(await t.storage.sessions.listByAccount('default', id)).toEqual([]);
    expect((await t.storage.loginAttempts.listByAccount('default', id, { limit: 10 })).data).toEqual([]);
    await expectAuthError(t.auth.verifyAccessToken(tokens.accessToken), 'unauthenticated');
    await expectAuthError(t.auth.refresh({ refreshToken: tokens.refreshToken }), 'unauthenticated');
    await expectAuthError(t.auth.adminDeleteAccount({ accountId: id }), 'not_found');
    const again = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    expect(again.id).not.toBe(id);
  });

  it('adminDeleteAccount removes an owner-deleted account, and refuses the owner of the group', async () => {
    const owner = await t.auth.register({ email: 'owner@example.com', password: PASSWORD });
    await t.storage.groups.update('default', { ownerId: owner.id });
    await expectAuthError(t.auth.adminDeleteAccount({ accountId: owner.id }), 'conflict');
    expect(await t.storage.accounts.findById('default', owner.id)).not.toBeNull();

    const user = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    await t.auth.deleteAccount({ accountId: user.id, password: PASSWORD });
    expect((await t.auth.adminDeleteAccount({ accountId: user.id })).state.status).toBe('deleted');
    expect(await t.storage.accounts.findById('default', user.id)).toBeNull();
  });
});
