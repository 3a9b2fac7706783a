import { describe, expect, it } from 'vitest';
import { outboxMailer } from '../../../src/adapters/mail/outbox.js';
import type { AuthEvent } from '../../../src/index.js';
import { createTestAuth, expectAuthError, PASSWORD, registerAndLogin } from '../helpers.js';
import { codeAt, enableTotp } from '../two-factor/helpers.js';

const EMAIL = 'ada@example.com';
const DAY = 86_400;

async function setup(options: { retention?: number } = {}) {
  const outbox = outboxMailer();
  const t = createTestAuth({ mailer: outbox, deletedAccountRetention: options.retention ?? 30 * DAY });
  const tokens = await registerAndLogin(t.auth);
  const accountId = tokens.account.id;
  const remove = (input: { password?: string; otp?: string } = { password: PASSWORD }) =>
    t.auth.deleteAccount({ group: 'default', accountId, ...input });
  return { ...t, outbox, tokens, accountId, remove };
}

describe('deleteAccount', () => {
  it('needs the password; an otp alone is refused until two-factor exists', async () => {
    const { remove, storage, accountId } = await setup();
    const missing = await expectAuthError(remove({}), 'validation_failed');
    expect(missing.details).toEqual([{ path: 'password', message: 'is required' }]);
    // Without a second factor there is no code to give: the password is the proof.
    const otpOnly = await expectAuthError(remove({ otp: '123456' }), 'validation_failed');
    expect(otpOnly.details).toEqual([{ path: 'password', message: 'is required' }]);
    expect((await storage.accounts.findById('default', accountId))!.status).toBe('active');
  });

  it('once a second factor is on, the password alone is refused (a phished password cannot delete); a current code works', async () => {
    const t = await setup();
    const { secret } = await enableTotp(t, t.accountId);
    const phished = await expectAuthError(t.remove({ password: PASSWORD }), 'validation_failed');
    expect(phished.details).toEqual([{ path: 'x-otp', message: 'is required' }]);
    await expectAuthError(t.remove({ otp: '000000' }), 'invalid_two_factor');
    expect((await t.storage.accounts.findById('default', t.accountId))!.status).toBe('active');
    t.clock.advance(30);
    await t.remove({ otp: codeAt(t, secret) });
    expect((await t.storage.accounts.findById('default', t.accountId))!.status).toBe('deleted');
  });

  it('refuses a wrong password and counts it against the login throttle', async () => {
    const { auth, remove, storage, accountId } = await setup();
    await expectAuthError(remove({ password: 'not the password' }), 'invalid_credentials');
    expect((await storage.accounts.findById('default', accountId))!.status).toBe('active');
    // Nine more failures exhaust the account's counter (10 per 15 minutes): login is throttled too.
    for (let i = 0; i < 9; i++) await expectAuthError(remove({ password: `wrong ${i}` }), 'invalid_credentials');
    await expectAuthError(remove(), 'rate_limited');
    await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'rate_limited');
  });

  it('a correct password clears the failures it follows', async () => {
    const { remove, auth } = await setup();
    for (let i = 0; i < 9; i++) await expectAuthError(remove({ password: `wrong ${i}` }), 'invalid_credentials');
    await remove();
    // The counter was reset: the deleted account's login fails as unknown, not as throttled.
    await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'invalid_credentials');
  });

  it('answers conflict for the owner of its group, changing nothing', async () => {
    const { remove, storage, accountId, auth, tokens } = await setup();
    await storage.groups.update('default', { ownerId: accountId });
    await expectAuthError(remove(), 'conflict');
    expect((await storage.accounts.findById('default', accountId))!.status).toBe('active');
    await auth.verifyAccessToken(tokens.accessToken);
  });

  it('soft-deletes: state deleted, times set, every session revoked, events and a mail', async () => {
    const { auth, clock, remove, storage, accountId, tokens, outbox } = await setup();
    const other = await auth.login({ email: EMAIL, password: PASSWORD });
    const deletedEvents: AuthEvent<'account.deleted'>[] = [];
    const revokedEvents: AuthEvent<'session.revoked'>[] = [];
    auth.events.on('account.deleted', (e) => void deletedEvents.push(e));
    auth.events.on('session.revoked', (e) => void revokedEvents.push(e));
    clock.advance(60);
    const now = clock.now();

    await remove();
    const stored = await storage.accounts.findById('default', accountId);
    expect(stored).toMatchObject({ status: 'deleted', statusChangedAt: now, deletedAt: now, updatedAt: now });
    expect(deletedEvents).toHaveLength(1);
    expect(deletedEvents[0]!.data.account).toMatchObject({
      id: accountId,
      state: { status: 'deleted', changedAt: now.toISOString(), reason: null },
      events: { deletedAt: now.toISOString(), updatedAt: now.toISOString() },
    });
    const sessionIds = await Promise.all(
      [tokens, other].map(async (t) => (await auth.verifyAccessToken(t.accessToken, { checkRevocation: false })).sid),
    );
    expect(revokedEvents).toHaveLength(1);
    expect(revokedEvents[0]!.data).toMatchObject({ accountId, reason: 'account_deleted' });
    expect([...revokedEvents[0]!.data.sessionIds].sort()).toEqual(sessionIds.sort());

    for (const session of [tokens, other]) {
      await expectAuthError(auth.verifyAccessToken(session.accessToken), 'unauthenticated');
      await expectAuthError(auth.refresh({ refreshToken: session.refreshToken }), 'unauthenticated');
    }
    await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'invalid_credentials');
    const mail = await outbox.waitFor((m) => m.kind === 'account-deleted');
    expect(mail.to).toBe(EMAIL);
    expect(mail.text).toContain('30 days');
    // A second deletion: the account is gone for its owner.
    await expectAuthError(remove(), 'not_found');
  });

  it('returns the job descriptor', async () => {
    const { remove, clock } = await setup({ retention: 7 * DAY });
    const now = clock.now();
    const { action, job } = await remove();
    expect(action).toBe('delete');
    expect(job).toEqual({
      id: expect.stringMatching(/^job_[0-9A-Z]{26}$/),
      accepted: true,
      queue: 'account-purge',
      schedule: new Date(now.getTime() + 7 * DAY * 1000).toISOString(),
      tasks: [
        {
          caption: 'Revoke sessions',
          header: expect.any(String),
          steps: [
            {
              caption: expect.any(String),
              description: expect.stringContaining('1 session(s) ended'),
              started: now.toISOString(),
              completed: now.toISOString(),
            },
          ],
        },
        {
          caption: 'Purge personal data',
          header: expect.any(String),
          steps: [{ caption: expect.any(String), description: expect.any(String), started: null, completed: null }],
        },
      ],
    });
  });

  it('answers not_found for an unknown account', async () => {
    const { auth } = await setup();
    await expectAuthError(
      auth.deleteAccount({ group: 'default', accountId: 'acc_missing', password: PASSWORD }),
      'not_found',
    );
  });
});

describe('purgeDeletedAccounts', () => {
  it('removes nothing before the retention ends, then the account with its sessions and history', async () => {
    const { auth, clock, remove, storage, accountId, tokens } = await setup({ retention: 7 * DAY });
    const bystander = await registerAndLogin(auth, { email: 'bob@example.com' });
    await remove();
    const { sid } = await auth.verifyAccessToken(tokens.accessToken, { checkRevocation: false });

    expect(await auth.purgeDeletedAccounts()).toEqual({ purged: 0, challengesRemoved: 0, loginAttemptsRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: 0, skipped: false });
    clock.advance(7 * DAY);
    expect(await auth.purgeDeletedAccounts()).toEqual({ purged: 0, challengesRemoved: 0, loginAttemptsRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: 0, skipped: false });
    expect(await storage.accounts.findById('default', accountId)).not.toBeNull();

    clock.advance(1);
    expect(await auth.purgeDeletedAccounts()).toEqual({ purged: 1, challengesRemoved: 0, loginAttemptsRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: 0, skipped: false });
    expect(await storage.accounts.findById('default', accountId)).toBeNull();
    expect(await storage.accounts.findByEmail('default', EMAIL)).toBeNull();
    expect(await storage.sessions.findById('default', sid)).toBeNull();
    expect(await storage.sessions.listByAccount('default', accountId)).toEqual([]);
    expect((await storage.loginAttempts.listByAccount('default', accountId, { limit: 10 })).data).toEqual([]);
    expect(await auth.purgeDeletedAccounts()).toEqual({ purged: 0, challengesRemoved: 0, loginAttemptsRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: 0, skipped: false });
    // Other accounts are untouched, and the email can be registered again.
    expect(await storage.accounts.findById('default', bystander.account.id)).toMatchObject({ status: 'active' });
    await registerAndLogin(auth);
  });

  it('removes at most `limit` per call, oldest deletion first', async () => {
    const { auth, clock, remove, storage, accountId } = await setup({ retention: 0 });
    await remove();
    clock.advance(1);
    const second = await registerAndLogin(auth, { email: 'bob@example.com' });
    await auth.deleteAccount({ group: 'default', accountId: second.account.id, password: PASSWORD });
    clock.advance(1);
    expect(await auth.purgeDeletedAccounts({ limit: 1 })).toEqual({ purged: 1, challengesRemoved: 0, loginAttemptsRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: 0, skipped: false });
    expect(await storage.accounts.findById('default', accountId)).toBeNull();
    expect(await storage.accounts.findById('default', second.account.id)).not.toBeNull();
    expect(await auth.purgeDeletedAccounts({ limit: 1 })).toEqual({ purged: 1, challengesRemoved: 0, loginAttemptsRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: 0, skipped: false });
    await expectAuthError(auth.purgeDeletedAccounts({ limit: 0 }), 'validation_failed');
  });
});
