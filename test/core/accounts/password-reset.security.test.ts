import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import type { AuthEvent, Logger, Mailer, MailMessage, Storage } from '../../../src/index.js';
import { createTestAuth, decodeJwt, expectAuthError, PASSWORD, type TestAuth, tokenFromMail } from '../helpers.js';

const EMAIL = 'ada@example.com';
const NEW_PASSWORD = 'a brand new passphrase';

/** Lets background work that only waits on memory storage finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

async function withAccount(overrides: Parameters<typeof createTestAuth>[0] = {}) {
  const test = createTestAuth(overrides);
  const account = await test.auth.register({ email: EMAIL, password: PASSWORD });
  return { ...test, account };
}

/**
 * Verifies the address with the registration mail's token: an owner who proved the mailbox before. (A
 * reset of an unverified account is the first proof, which forgets everything set up before it: see
 * pre-account-hijack.security.test.ts.)
 */
async function verifyAddress(test: TestAuth): Promise<void> {
  const mail = await test.outbox.waitFor((m) => m.kind === 'email-verification' && m.to === EMAIL);
  await test.auth.verifyEmail({ token: tokenFromMail(mail) });
}

/**
 * Requests a reset for `email` a second on (a token stamped with the instant of the account's last
 * change is refused) and returns the token of the reset mail it causes.
 */
async function resetToken(test: TestAuth, email = EMAIL, group?: string): Promise<string> {
  test.clock.advance(1);
  const seen = new Set(test.outbox.messages);
  await test.auth.requestPasswordReset({ email, group });
  const mail = await test.outbox.waitFor((m) => m.kind === 'password-reset' && m.to === email && !seen.has(m));
  return tokenFromMail(mail);
}

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: object) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

describe('password reset under attack', () => {
  describe('the reset token', () => {
    it('sets the password once; the old password stops working', async () => {
      const test = await withAccount();
      const token = await resetToken(test);
      await expect(test.auth.resetPassword({ token, password: NEW_PASSWORD })).resolves.toBeUndefined();
      await expectAuthError(test.auth.login({ email: EMAIL, password: PASSWORD }), 'invalid_credentials');
      await expect(test.auth.login({ email: EMAIL, password: NEW_PASSWORD })).resolves.toMatchObject({ tokenType: 'Bearer' });
      await expectAuthError(test.auth.resetPassword({ token, password: 'yet another passphrase' }), 'invalid_token');
      await expect(test.auth.login({ email: EMAIL, password: NEW_PASSWORD })).resolves.toBeDefined();
    });

    it('refuses a wrong token and changes nothing', async () => {
      const test = await withAccount();
      await resetToken(test);
      const error = await expectAuthError(test.auth.resetPassword({ token: 'A'.repeat(43), password: NEW_PASSWORD }), 'invalid_token');
      expect(error.message).toBe('The token is invalid, expired or already used.');
      await expect(test.auth.login({ email: EMAIL, password: PASSWORD })).resolves.toBeDefined();
    });

    it('expires after passwordResetTtl (1 hour by default)', async () => {
      const test = await withAccount();
      const token = await resetToken(test);
      expect(test.outbox.messages.at(-1)!.text).toContain('expires in 1 hour');
      test.clock.advance(3599);
      await expect(test.auth.resetPassword({ token, password: NEW_PASSWORD })).resolves.toBeUndefined();

      const expiring = await resetToken(test);
      test.clock.advance(3600);
      await expectAuthError(test.auth.resetPassword({ token: expiring, password: 'yet another passphrase' }), 'invalid_token');
      await expect(test.auth.login({ email: EMAIL, password: NEW_PASSWORD })).resolves.toBeDefined();
    });

    it('dies when a newer one is mailed', async () => {
      const test = await withAccount();
      const older = await resetToken(test);
      const newer = await resetToken(test);
      await expectAuthError(test.auth.resetPassword({ token: older, password: NEW_PASSWORD }), 'invalid_token');
      await expect(test.auth.resetPassword({ token: newer, password: NEW_PASSWORD })).resolves.toBeUndefined();
    });

    it('is refused in another group', async () => {
      const test = await withAccount();
      await test.auth.createGroup({ id: 'acme' });
      await test.auth.register({ group: 'acme', email: EMAIL, password: PASSWORD });
      const token = await resetToken(test);
      await expectAuthError(test.auth.resetPassword({ group: 'acme', token, password: NEW_PASSWORD }), 'invalid_token');
      await expect(test.auth.login({ group: 'acme', email: EMAIL, password: PASSWORD })).resolves.toBeDefined();
      await expect(test.auth.login({ email: EMAIL, password: PASSWORD })).resolves.toBeDefined();
    });

    it('is not a verification token, and a verification token is not a reset token', async () => {
      const test = await withAccount();
      const verification = tokenFromMail(await test.outbox.waitFor((m) => m.kind === 'email-verification'));
      await expectAuthError(test.auth.resetPassword({ token: verification, password: NEW_PASSWORD }), 'invalid_token');
      const reset = await resetToken(test);
      await expectAuthError(test.auth.verifyEmail({ token: reset }), 'invalid_token');
    });

    it('under 20 concurrent uses, exactly one sets the password', async () => {
      const test = await withAccount();
      const token = await resetToken(test);
      const passwords = Array.from({ length: 20 }, (_, i) => `concurrent passphrase ${i}`);
      const results = await Promise.allSettled(passwords.map((password) => test.auth.resetPassword({ token, password })));
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [passwords[i]!] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'invalid_token' });
      }
      await expect(test.auth.login({ email: EMAIL, password: winners[0]! })).resolves.toBeDefined();
    });

    it('is refused when the account changed its email since, or was deleted', async () => {
      const test = await withAccount();
      const token = await resetToken(test);
      await test.storage.accounts.update('default', test.account.id, { email: 'ada.new@example.com' });
      await expectAuthError(test.auth.resetPassword({ token, password: NEW_PASSWORD }), 'invalid_token');

      const other = await withAccount();
      const doomed = await resetToken(other);
      await other.storage.accounts.update('default', other.account.id, { status: 'deleted', deletedAt: new Date() });
      await expectAuthError(other.auth.resetPassword({ token: doomed, password: NEW_PASSWORD }), 'invalid_token');
    });

    it('does not unlock a locked account', async () => {
      const test = await withAccount();
      const token = await resetToken(test);
      const before = await test.storage.accounts.update('default', test.account.id, { status: 'locked' });
      await expectAuthError(test.auth.resetPassword({ token, password: NEW_PASSWORD }), 'account_locked');
      expect(await test.storage.accounts.findById('default', test.account.id)).toEqual(before);
    });
  });

  describe('the reset token outlives no change of the account', () => {
    it('dies when the password is changed after it was mailed; one mailed after the change works', async () => {
      const test = await withAccount();
      const owner = await test.auth.login({ email: EMAIL, password: PASSWORD });
      const token = await resetToken(test);
      test.clock.advance(1);
      const sessionId = decodeJwt(owner.accessToken).payload.sid as string;
      const changed = 'the owner changed it';
      await test.auth.changePassword({ group: 'default', accountId: test.account.id, sessionId, current: PASSWORD, next: changed });
      await expectAuthError(test.auth.resetPassword({ token, password: NEW_PASSWORD }), 'invalid_token');
      await expect(test.auth.login({ email: EMAIL, password: changed })).resolves.toMatchObject({ tokenType: 'Bearer' });

      const fresh = await resetToken(test);
      await expect(test.auth.resetPassword({ token: fresh, password: NEW_PASSWORD })).resolves.toBeUndefined();
    });

    it('dies with another reset: a token mailed before the last reset is void even if it was never replaced', async () => {
      const test = await withAccount();
      const token = await resetToken(test);
      test.clock.advance(1);
      // A password set some other way since (an administrator's tooling, say): only the time is recorded.
      await test.storage.accounts.update('default', test.account.id, { lastPasswordChangeAt: test.clock.now() });
      await expectAuthError(test.auth.resetPassword({ token, password: NEW_PASSWORD }), 'invalid_token');
    });

    it('dies with a panic lock, and stays dead after the unlock', async () => {
      const test = await withAccount();
      await verifyAddress(test);
      const { recoveryCodes } = await test.auth.regenerateRecoveryCodes({
        group: 'default',
        accountId: test.account.id,
        password: PASSWORD,
      });
      const token = await resetToken(test);
      test.clock.advance(1);
      await test.auth.panicLock({ group: 'default', accountId: test.account.id });
      await expectAuthError(test.auth.resetPassword({ token, password: NEW_PASSWORD }), 'account_locked');
      test.clock.advance(1);
      const unlocked = 'unlocked with a code';
      await test.auth.unlockAccount({ email: EMAIL, recoveryCode: recoveryCodes[0]!, newPassword: unlocked });
      await expectAuthError(test.auth.resetPassword({ token, password: NEW_PASSWORD }), 'invalid_token');
      await expect(test.auth.login({ email: EMAIL, password: unlocked })).resolves.toBeDefined();
    });

    it('dies with any change of state, even one that sets no password (an administrator lock and unlock)', async () => {
      const test = await withAccount();
      const token = await resetToken(test);
      test.clock.advance(1);
      await test.storage.accounts.update('default', test.account.id, { status: 'locked', statusChangedAt: test.clock.now() });
      test.clock.advance(1);
      await test.storage.accounts.update('default', test.account.id, { status: 'active', statusChangedAt: test.clock.now() });
      await expectAuthError(test.auth.resetPassword({ token, password: NEW_PASSWORD }), 'invalid_token');
      await expect(test.auth.login({ email: EMAIL, password: PASSWORD })).resolves.toBeDefined();
    });
  });

  describe('the new password', () => {
    it('a too short one is refused without using the token up', async () => {
      const test = await withAccount();
      const token = await resetToken(test);
      const error = await expectAuthError(test.auth.resetPassword({ token, password: 'short' }), 'validation_failed');
      expect(error.details).toEqual([{ path: 'password', message: 'must be at least 8 characters' }]);
      await expect(test.auth.resetPassword({ token, password: NEW_PASSWORD })).resolves.toBeUndefined();
    });

    it('one containing the email is refused, and the token stays usable', async () => {
      const test = await withAccount();
      const token = await resetToken(test);
      const error = await expectAuthError(test.auth.resetPassword({ token, password: 'ada-password-1' }), 'validation_failed');
      expect(error.details).toEqual([{ path: 'password', message: 'must not contain the email address' }]);
      await expect(test.auth.resetPassword({ token, password: NEW_PASSWORD })).resolves.toBeUndefined();
      await expectAuthError(test.auth.resetPassword({ token, password: NEW_PASSWORD }), 'invalid_token');
    });
  });

  describe('after a reset', () => {
    it('every session is over: old refresh and access tokens are refused', async () => {
      const test = await withAccount();
      await verifyAddress(test);
      const laptop = await test.auth.login({ email: EMAIL, password: PASSWORD });
      const phone = await test.auth.login({ email: EMAIL, password: PASSWORD });
      const revoked: AuthEvent<'session.revoked'>[] = [];
      test.auth.events.on('session.revoked', (e) => void revoked.push(e));

      await test.auth.resetPassword({ token: await resetToken(test), password: NEW_PASSWORD });

      for (const tokens of [laptop, phone]) {
        await expectAuthError(test.auth.refresh({ refreshToken: tokens.refreshToken }), 'unauthenticated');
        await expectAuthError(test.auth.verifyAccessToken(tokens.accessToken), 'unauthenticated');
      }
      expect(revoked).toHaveLength(1);
      expect(revoked[0]!.data).toMatchObject({ accountId: test.account.id, reason: 'password_reset' });
      expect(revoked[0]!.data.sessionIds).toHaveLength(2);
    });

    it('records the change, verifies the address, mails a notice and emits account.password-reset', async () => {
      const test = await withAccount();
      const events: AuthEvent<'account.password-reset'>[] = [];
      test.auth.events.on('account.password-reset', (e) => void events.push(e));
      const token = await resetToken(test);
      test.clock.advance(30);
      await test.auth.resetPassword({ token, password: NEW_PASSWORD });

      const at = test.clock.now().toISOString();
      const account = await test.auth.getAccount({ group: 'default', accountId: test.account.id });
      expect(account).toMatchObject({
        email: { verified: true, verifiedAt: at },
        events: { updatedAt: at, lastPasswordChangeAt: at },
      });
      expect(events.map((e) => e.data.account)).toEqual([account]);
      const notice = await test.outbox.waitFor((m) => m.kind === 'password-changed');
      expect(notice.to).toBe(EMAIL);
      expect(notice.text).not.toContain(NEW_PASSWORD);
      // Not a login: no session, no history entry.
      expect(await test.storage.sessions.listByAccount('default', test.account.id)).toEqual([]);
      expect((await test.storage.loginAttempts.listByAccount('default', test.account.id, { limit: 10 })).data).toEqual([]);
    });

    it('clears the failed-login counter so the owner can sign in at once', async () => {
      const test = await withAccount({ throttle: { loginPerAccount: { points: 2, durationSeconds: 900 } } });
      for (let i = 0; i < 2; i++) {
        await expectAuthError(test.auth.login({ email: EMAIL, password: `guess number ${i}` }), 'invalid_credentials');
      }
      await expectAuthError(test.auth.login({ email: EMAIL, password: PASSWORD }), 'rate_limited');
      await test.auth.resetPassword({ token: await resetToken(test), password: NEW_PASSWORD });
      await expect(test.auth.login({ email: EMAIL, password: NEW_PASSWORD })).resolves.toBeDefined();
    });
  });

  describe('requesting a reset', () => {
    it('answers a known and an unknown email identically; only the known one gets mail', async () => {
      const test = await withAccount();
      await test.outbox.waitFor((m) => m.kind === 'email-verification');
      test.outbox.clear();
      const unknown = await test.auth.requestPasswordReset({ email: 'nobody@example.com' });
      const known = await test.auth.requestPasswordReset({ email: ` ${EMAIL.toUpperCase()} ` });
      expect(unknown).toEqual(known);
      await test.outbox.waitFor((m) => m.kind === 'password-reset');
      await settle();
      expect(test.outbox.messages.map((m) => [m.kind, m.to])).toEqual([['password-reset', EMAIL]]);
    });

    it('resolves before looking the address up, so both take the same time', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const storage = memoryStorage();
      const gated: Storage = {
        ...storage,
        accounts: { ...storage.accounts, findByEmail: async (...args) => (await gate, storage.accounts.findByEmail(...args)) },
      };
      const test = createTestAuth({ storage: gated });
      await test.auth.register({ email: EMAIL, password: PASSWORD });
      // Both resolve while every lookup is still blocked.
      await test.auth.requestPasswordReset({ email: EMAIL });
      await test.auth.requestPasswordReset({ email: 'nobody@example.com' });
      expect(test.outbox.messages.filter((m) => m.kind === 'password-reset')).toEqual([]);
      release();
      await test.outbox.waitFor((m) => m.kind === 'password-reset' && m.to === EMAIL);
    });

    it('rejects a malformed email at once', async () => {
      const { auth } = await withAccount();
      const error = await expectAuthError(auth.requestPasswordReset({ email: 'not-an-email' }), 'validation_failed');
      expect(error.details).toEqual([{ path: 'email', message: 'must be an email address' }]);
    });

    it('sends nothing to deleted or locked accounts', async () => {
      const test = await withAccount();
      const bob = await test.auth.register({ email: 'bob@example.com', password: PASSWORD });
      await test.storage.accounts.update('default', test.account.id, { status: 'deleted', deletedAt: new Date() });
      await test.storage.accounts.update('default', bob.id, { status: 'locked' });
      await test.auth.requestPasswordReset({ email: EMAIL });
      await test.auth.requestPasswordReset({ email: 'bob@example.com' });
      await settle();
      expect(test.outbox.messages.filter((m) => m.kind === 'password-reset')).toEqual([]);
    });

    it('mails at most 5 resets an hour per address, silently', async () => {
      const test = await withAccount();
      for (let i = 0; i < 7; i++) await expect(test.auth.requestPasswordReset({ email: EMAIL })).resolves.toBeUndefined();
      await settle();
      expect(test.outbox.messages.filter((m) => m.kind === 'password-reset')).toHaveLength(5);
      // Another address is counted apart.
      await test.auth.register({ email: 'bob@example.com', password: PASSWORD });
      await expect(resetToken(test, 'bob@example.com')).resolves.toHaveLength(43);
    });

    it('logs background failures without the address or the token', async () => {
      const logger = capturingLogger();
      const storage = memoryStorage();
      const broken: Storage = {
        ...storage,
        accounts: {
          ...storage.accounts,
          findByEmail: async (_group, email) => Promise.reject(new Error(`lookup of ${email} failed`)),
        },
      };
      const sent: MailMessage[] = [];
      const failing: Mailer = { send: async (m) => (sent.push(m), Promise.reject(new Error('smtp down'))) };

      const a = createTestAuth({ storage: broken, logger });
      await expect(a.auth.requestPasswordReset({ email: EMAIL })).resolves.toBeUndefined();
      const b = createTestAuth({ mailer: failing, logger });
      await b.auth.register({ email: EMAIL, password: PASSWORD });
      await expect(b.auth.requestPasswordReset({ email: EMAIL })).resolves.toBeUndefined();
      await settle();

      const token = tokenFromMail(sent.find((m) => m.kind === 'password-reset')!);
      const errors = logger.lines.filter((l) => l.startsWith('error'));
      expect(errors.some((l) => l.includes('password reset request failed') && l.includes('[email]'))).toBe(true);
      expect(errors.some((l) => l.includes('mail delivery failed') && l.includes('password-reset'))).toBe(true);
      for (const line of logger.lines) {
        expect(line).not.toContain(EMAIL);
        expect(line).not.toContain(token);
      }
    });
  });
});
