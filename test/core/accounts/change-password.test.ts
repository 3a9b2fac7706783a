import { describe, expect, it } from 'vitest';
import type { AuthEvent } from '../../../src/index.js';
import { createTestAuth, decodeJwt, expectAuthError, PASSWORD } from '../helpers.js';

const EMAIL = 'ada@example.com';
const NEW_PASSWORD = 'a brand new passphrase';

async function signedIn(overrides: Parameters<typeof createTestAuth>[0] = {}) {
  const test = createTestAuth(overrides);
  const account = await test.auth.register({ email: EMAIL, password: PASSWORD });
  const current = await test.auth.login({ email: EMAIL, password: PASSWORD });
  const other = await test.auth.login({ email: EMAIL, password: PASSWORD });
  const sessionId = decodeJwt(current.accessToken).payload.sid as string;
  const change = (currentPassword: string, next: string) =>
    test.auth.changePassword({ group: 'default', accountId: account.id, sessionId, current: currentPassword, next });
  return { ...test, account, current, other, sessionId, change };
}

describe('changePassword', () => {
  it('sets the new password and returns the account', async () => {
    const test = await signedIn();
    test.clock.advance(60);
    const account = await test.change(PASSWORD, NEW_PASSWORD);
    const at = test.clock.now().toISOString();
    expect(account).toMatchObject({ id: test.account.id, events: { updatedAt: at, lastPasswordChangeAt: at } });
    expect(JSON.stringify(account)).not.toContain(NEW_PASSWORD);
    await expectAuthError(test.auth.login({ email: EMAIL, password: PASSWORD }), 'invalid_credentials');
    await expect(test.auth.login({ email: EMAIL, password: NEW_PASSWORD })).resolves.toBeDefined();
  });

  it('ends every other session and keeps the caller’s', async () => {
    const test = await signedIn();
    const revoked: AuthEvent<'session.revoked'>[] = [];
    test.auth.events.on('session.revoked', (e) => void revoked.push(e));
    await test.change(PASSWORD, NEW_PASSWORD);

    await expectAuthError(test.auth.verifyAccessToken(test.other.accessToken), 'unauthenticated');
    await expectAuthError(test.auth.refresh({ refreshToken: test.other.refreshToken }), 'unauthenticated');
    await expect(test.auth.verifyAccessToken(test.current.accessToken)).resolves.toMatchObject({ sid: test.sessionId });
    await expect(test.auth.refresh({ refreshToken: test.current.refreshToken })).resolves.toBeDefined();
    expect(revoked.map((e) => e.data)).toEqual([
      { accountId: test.account.id, sessionIds: [decodeJwt(test.other.accessToken).payload.sid], reason: 'password_changed' },
    ]);
  });

  it('mails a notice and emits account.password-changed', async () => {
    const test = await signedIn();
    const events: AuthEvent<'account.password-changed'>[] = [];
    test.auth.events.on('account.password-changed', (e) => void events.push(e));
    const account = await test.change(PASSWORD, NEW_PASSWORD);
    expect(events.map((e) => e.data.account)).toEqual([account]);
    const notice = await test.outbox.waitFor((m) => m.kind === 'password-changed');
    expect(notice.to).toBe(EMAIL);
    expect(notice.text).not.toContain(NEW_PASSWORD);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const test = await signedIn();
    const error = await expectAuthError(test.change('not my password', NEW_PASSWORD), 'invalid_credentials');
    expect(error.message).toBe('The current password is incorrect.');
    await expect(test.auth.verifyAccessToken(test.other.accessToken)).resolves.toBeDefined();
    await expect(test.auth.login({ email: EMAIL, password: PASSWORD })).resolves.toBeDefined();
  });

  it('counts wrong current passwords against the login throttle', async () => {
    const test = await signedIn({ throttle: { loginPerClient: { points: 3, durationSeconds: 900 } } });
    for (let i = 0; i < 3; i++) await expectAuthError(test.change(`guess number ${i}`, NEW_PASSWORD), 'invalid_credentials');
    const limited = await expectAuthError(test.change(PASSWORD, NEW_PASSWORD), 'rate_limited');
    expect(limited.retryAfter).toBeGreaterThan(0);
    await expectAuthError(test.auth.login({ email: EMAIL, password: PASSWORD }), 'rate_limited');
  });

  it('a correct current password clears the counter', async () => {
    const test = await signedIn({ throttle: { loginPerClient: { points: 3, durationSeconds: 900 } } });
    for (let i = 0; i < 2; i++) await expectAuthError(test.change(`guess number ${i}`, NEW_PASSWORD), 'invalid_credentials');
    await test.change(PASSWORD, NEW_PASSWORD);
    for (let i = 0; i < 2; i++) await expectAuthError(test.auth.login({ email: EMAIL, password: `guess ${i}` }), 'invalid_credentials');
    await expect(test.auth.login({ email: EMAIL, password: NEW_PASSWORD })).resolves.toBeDefined();
  });

  it('checks the new password against the policy, costing no attempt', async () => {
    const test = await signedIn({ throttle: { loginPerClient: { points: 1, durationSeconds: 900 } } });
    const short = await expectAuthError(test.change(PASSWORD, 'short'), 'validation_failed');
    expect(short.details).toEqual([{ path: 'password', message: 'must be at least 8 characters' }]);
    const mine = await expectAuthError(test.change('whatever it is', 'ada-password-1'), 'validation_failed');
    expect(mine.details).toEqual([{ path: 'password', message: 'must not contain the email address' }]);
    await expect(test.change(PASSWORD, NEW_PASSWORD)).resolves.toBeDefined();
  });

  it('answers not_found for an unknown or deleted account and account_locked for a locked one', async () => {
    const test = await signedIn();
    await expectAuthError(
      test.auth.changePassword({ group: 'default', accountId: 'acc_nope', sessionId: test.sessionId, current: PASSWORD, next: NEW_PASSWORD }),
      'not_found',
    );
    await test.storage.accounts.update('default', test.account.id, { status: 'locked' });
    await expectAuthError(test.change(PASSWORD, NEW_PASSWORD), 'account_locked');
    await test.storage.accounts.update('default', test.account.id, { status: 'deleted', deletedAt: new Date() });
    await expectAuthError(test.change(PASSWORD, NEW_PASSWORD), 'not_found');
  });

  it('refuses an account without a password', async () => {
    const test = await signedIn();
    await test.storage.accounts.update('default', test.account.id, { passwordHash: null });
    await expectAuthError(test.change(PASSWORD, NEW_PASSWORD), 'invalid_credentials');
  });
});
