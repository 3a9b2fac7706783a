import { describe, expect, it } from 'vitest';
import type { AuthEvent, Storage } from '../../../src/index.js';
import type { TokenResponse } from '../../../src/core/internal/sessions/open-session.js';
import {
  createTestAuth,
  decodeJwt,
  expectAuthError,
  PASSWORD,
  type TestAuth,
  tokenFromMail,
} from '../helpers.js';
import { lastMailCode, lastSmsCode, PHONE } from '../otp/helpers.js';
import { codeAt, enableTotp, wrongCode } from '../two-factor/helpers.js';

const EMAIL = 'ada@example.com';
const NEW_PASSWORD = 'a brand new passphrase';

/**
 * Ada signed up with her address verified, then signed in. Verified: on an unproven account the first
 * proof of the mailbox (a reset) forgets the factors instead of asking for them.
 */
async function verifiedAndSignedIn(t: TestAuth): Promise<TokenResponse> {
  await t.auth.register({ email: EMAIL, password: PASSWORD });
  const mail = await t.outbox.waitFor((m) => m.kind === 'email-verification' && m.to === EMAIL);
  await t.auth.verifyEmail({ token: tokenFromMail(mail) });
  return t.auth.login({ email: EMAIL, password: PASSWORD });
}

/** Ada, signed up (verified) and signed in once, with an authenticator: her secret and recovery codes. */
async function withTotp(t: TestAuth = createTestAuth()) {
  const first = await verifiedAndSignedIn(t);
  const accountId = first.account.id;
  const { secret, recoveryCodes } = await enableTotp(t, accountId);
  return { ...t, accountId, secret, recoveryCodes };
}

/** Ada with SMS codes (a verified phone) as her only second factor. */
async function withSms(t: TestAuth = createTestAuth()) {
  const accountId = (await verifiedAndSignedIn(t)).account.id;
  await t.auth.addPhone({ group: 'default', accountId, phone: PHONE });
  await t.auth.verifyChannel({ group: 'default', accountId, channel: 'sms', code: lastSmsCode(t, PHONE), password: PASSWORD });
  return { ...t, accountId };
}

/** Ada with email codes as her only second factor. */
async function withEmailCodes(t: TestAuth = createTestAuth()) {
  const accountId = (await verifiedAndSignedIn(t)).account.id;
  await t.auth.sendChannelCode({ group: 'default', accountId, channel: 'email' });
  await t.auth.verifyChannel({ group: 'default', accountId, channel: 'email', code: lastMailCode(t), password: PASSWORD });
  return { ...t, accountId };
}

/** Logs in with the password alone and returns the challenge of the `two_factor_required` answer. */
async function challengeOf(t: TestAuth, input: { group?: string; email?: string; password?: string } = {}) {
  const error = await expectAuthError(
    t.auth.login({ email: input.email ?? EMAIL, password: input.password ?? PASSWORD, group: input.group }),
    'two_factor_required',
  );
  return error.extra!.challenge as string;
}

async function history(storage: Storage, accountId: string, group = 'default') {
  return (await storage.loginAttempts.listByAccount(group, accountId, { limit: 100 })).data;
}

const sessionCount = async (storage: Storage, accountId: string) =>
  (await storage.sessions.listByAccount('default', accountId)).length;

const amrOf = (tokens: TokenResponse) => decodeJwt(tokens.accessToken).payload.amr;

function isTokens(value: unknown): value is TokenResponse {
  return typeof value === 'object' && value !== null && 'accessToken' in value;
}

describe('two-factor login', () => {
  describe('the password step', () => {
    it('answers two_factor_required with the methods and a 256-bit challenge, and opens nothing', async () => {
      const t = await withTotp();
      const before = await sessionCount(t.storage, t.accountId);
      const error = await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD }), 'two_factor_required');
      expect(error.extra).toEqual({ methods: ['totp'], challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      expect(error.message).not.toContain(error.extra!.challenge as string);
      expect(await sessionCount(t.storage, t.accountId)).toBe(before);
      // The password was right: the owner sees that someone holds it.
      expect((await history(t.storage, t.accountId))[0]).toMatchObject({
        success: false,
        method: 'password',
        failureReason: 'two_factor_required',
      });
    });

    it('checks the password before anything else: a wrong one with a right code is invalid_credentials, the code unspent', async () => {
      const t = await withTotp();
      const code = codeAt(t, t.secret);
      await expectAuthError(t.auth.login({ email: EMAIL, password: 'wrong password 123', twoFactorCode: code }), 'invalid_credentials');
      await expectAuthError(t.auth.login({ email: EMAIL, password: 'wrong password 123' }), 'invalid_credentials');
      const tokens = await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: code });
      expect(amrOf(tokens)).toEqual(['pwd', 'otp', 'mfa']);
    });

    it('lists every enabled method', async () => {
      const t = await withSms(createTestAuth());
      // Adding email codes to an account with SMS codes is proven with an SMS code.
      await t.auth.sendChannelCode({ group: 'default', accountId: t.accountId, channel: 'sms' });
      const otp = lastSmsCode(t, PHONE);
      await t.auth.sendChannelCode({ group: 'default', accountId: t.accountId, channel: 'email' });
      await t.auth.verifyChannel({ group: 'default', accountId: t.accountId, channel: 'email', code: lastMailCode(t), otp });
      const error = await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD }), 'two_factor_required');
      expect(error.extra!.methods).toEqual(['email', 'sms']);
    });
  });

  describe('completing with the challenge', () => {
    it('with a TOTP: amr pwd + otp + mfa, a success in the history, account.logged-in', async () => {
      const t = await withTotp();
      const events: AuthEvent<'account.logged-in'>[] = [];
      t.auth.events.on('account.logged-in', (e) => void events.push(e));
      const challenge = await challengeOf(t);
      const result = await t.auth.completeTwoFactorLogin({ challenge, code: codeAt(t, t.secret), ip: '203.0.113.9' });
      if (!isTokens(result)) throw new Error('expected tokens');
      expect(amrOf(result)).toEqual(['pwd', 'otp', 'mfa']);
      expect(result.account.events.lastLoginAt).toBe(t.clock.now().toISOString());
      await expect(t.auth.verifyAccessToken(result.accessToken)).resolves.toMatchObject({ sub: t.accountId });
      await expect(t.auth.refresh({ refreshToken: result.refreshToken })).resolves.toBeDefined();
      expect((await history(t.storage, t.accountId)).filter((a) => a.ip === '203.0.113.9')).toMatchObject([
        { success: true, method: 'password', failureReason: null },
      ]);
      expect(events).toHaveLength(1);
      expect(events[0]!.data).toMatchObject({ method: 'password', ip: '203.0.113.9' });
    });

    it('with a recovery code, which is used up', async () => {
      const t = await withTotp();
      const [code] = t.recoveryCodes;
      const result = await t.auth.completeTwoFactorLogin({ challenge: await challengeOf(t), recoveryCode: code });
      if (!isTokens(result)) throw new Error('expected tokens');
      expect(amrOf(result)).toEqual(['pwd', 'otp', 'mfa']);
      expect(result.account.twoFactor.recoveryCodesRemaining).toBe(9);
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge: await challengeOf(t), recoveryCode: code }), 'invalid_two_factor');
    });

    it('with a recovery code typed in the code field', async () => {
      const t = await withTotp();
      const result = await t.auth.completeTwoFactorLogin({ challenge: await challengeOf(t), code: t.recoveryCodes[1]!.toUpperCase() });
      expect(isTokens(result) && amrOf(result)).toEqual(['pwd', 'otp', 'mfa']);
    });

    it('with an SMS code it asked for: code_sent first, then amr pwd + sms + mfa', async () => {
      const t = await withSms();
      const challenge = await challengeOf(t);
      const sent = t.sms.messages.length;
      await expect(t.auth.completeTwoFactorLogin({ challenge, method: 'sms' })).resolves.toEqual({ status: 'code_sent' });
      expect(t.sms.messages).toHaveLength(sent + 1);
      const result = await t.auth.completeTwoFactorLogin({ challenge, method: 'sms', code: lastSmsCode(t, PHONE) });
      expect(isTokens(result) && amrOf(result)).toEqual(['pwd', 'sms', 'mfa']);
    });

    it('with an email code it asked for: amr pwd + otp + mfa', async () => {
      const t = await withEmailCodes();
      const challenge = await challengeOf(t);
      await expect(t.auth.completeTwoFactorLogin({ challenge, method: 'email' })).resolves.toEqual({ status: 'code_sent' });
      const result = await t.auth.completeTwoFactorLogin({ challenge, code: lastMailCode(t) });
      expect(isTokens(result) && amrOf(result)).toEqual(['pwd', 'otp', 'mfa']);
    });

    it('sends nothing over a channel the account has not enabled, nor without a channel', async () => {
      const t = await withTotp();
      const challenge = await challengeOf(t);
      const error = await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, method: 'sms' }), 'validation_failed');
      expect(error.details).toEqual([{ path: 'method', message: 'is not enabled for this account' }]);
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge }), 'validation_failed');
      expect(t.sms.messages).toHaveLength(0);
      // None of it spent the challenge.
      await expect(t.auth.completeTwoFactorLogin({ challenge, code: codeAt(t, t.secret) })).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    });

    it('a mistyped code does not spend the challenge; it is recorded', async () => {
      const t = await withTotp();
      const challenge = await challengeOf(t);
      const code = codeAt(t, t.secret);
      t.clock.advance(1);
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, code: wrongCode(code) }), 'invalid_two_factor');
      expect((await history(t.storage, t.accountId))[0]).toMatchObject({ success: false, failureReason: 'invalid_two_factor' });
      await expect(t.auth.completeTwoFactorLogin({ challenge, code })).resolves.toMatchObject({ tokenType: 'Bearer' });
    });

    it('a TOTP works once: the same code cannot complete a second challenge', async () => {
      const t = await withTotp();
      const code = codeAt(t, t.secret);
      await t.auth.completeTwoFactorLogin({ challenge: await challengeOf(t), code });
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge: await challengeOf(t), code }), 'invalid_two_factor');
    });
  });

  describe('the one-step form', () => {
    it('twoFactorCode logs in at once; the same code replayed is invalid_two_factor', async () => {
      const t = await withTotp();
      const code = codeAt(t, t.secret);
      const tokens = await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: code });
      expect(amrOf(tokens)).toEqual(['pwd', 'otp', 'mfa']);
      t.clock.advance(1);
      await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: code }), 'invalid_two_factor');
      expect((await history(t.storage, t.accountId)).slice(0, 2)).toMatchObject([
        { success: false, method: 'password', failureReason: 'invalid_two_factor' },
        { success: true, method: 'password', failureReason: null },
      ]);
    });

    it('twoFactorRecoveryCode logs in once per code', async () => {
      const t = await withTotp();
      const twoFactorRecoveryCode = t.recoveryCodes[3]!;
      const tokens = await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorRecoveryCode });
      expect(amrOf(tokens)).toEqual(['pwd', 'otp', 'mfa']);
      await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorRecoveryCode }), 'invalid_two_factor');
    });

    it('an account without a second factor ignores the fields (amr pwd)', async () => {
      const t = createTestAuth();
      await t.auth.register({ email: EMAIL, password: PASSWORD });
      const tokens = await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: '123456' });
      expect(amrOf(tokens)).toEqual(['pwd']);
    });
  });

  describe('the challenge', () => {
    it('works once', async () => {
      const t = await withTotp();
      const challenge = await challengeOf(t);
      await t.auth.completeTwoFactorLogin({ challenge, recoveryCode: t.recoveryCodes[0] });
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, recoveryCode: t.recoveryCodes[1] }), 'invalid_token');
      // The refused reuse spent a recovery code but opened nothing.
      expect(await sessionCount(t.storage, t.accountId)).toBe(2);
    });

    it('expires after 5 minutes', async () => {
      const t = await withTotp();
      const late = await challengeOf(t);
      t.clock.advance(300);
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge: late, code: codeAt(t, t.secret) }), 'invalid_token');

      const inTime = await challengeOf(t);
      t.clock.advance(299);
      await expect(t.auth.completeTwoFactorLogin({ challenge: inTime, code: codeAt(t, t.secret) })).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    });

    it('under 20 concurrent completions, exactly one session is opened', async () => {
      const t = await withTotp();
      const challenge = await challengeOf(t);
      const before = await sessionCount(t.storage, t.accountId);
      const proofs = Array.from({ length: 20 }, (_, i) => ({ recoveryCode: t.recoveryCodes[i % 10]! }));
      const results = await Promise.allSettled(proofs.map((p) => t.auth.completeTwoFactorLogin({ challenge, ...p })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(['invalid_token', 'invalid_two_factor', 'rate_limited']).toContain(r.reason.code);
      }
      expect(await sessionCount(t.storage, t.accountId)).toBe(before + 1);
    });

    it('when every concurrent proof is right, the challenge alone decides: one session, the rest invalid_token', async () => {
      const t = await withTotp();
      const challenge = await challengeOf(t);
      const results = await Promise.allSettled(
        t.recoveryCodes.slice(0, 5).map((recoveryCode) => t.auth.completeTwoFactorLogin({ challenge, recoveryCode })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
        Array(4).fill('invalid_token'),
      );
    });

    it('is refused in another group, and a challenge of another group is refused here', async () => {
      const t = await withTotp();
      await t.auth.createGroup({ id: 'acme' });
      await t.auth.register({ group: 'acme', email: EMAIL, password: PASSWORD });
      const home = await challengeOf(t);
      await expectAuthError(
        t.auth.completeTwoFactorLogin({ group: 'acme', challenge: home, code: codeAt(t, t.secret) }),
        'invalid_token',
      );
      // Still good at home: the refusal elsewhere did not spend it.
      await expect(t.auth.completeTwoFactorLogin({ challenge: home, code: codeAt(t, t.secret) })).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    });

    it('only the newest works', async () => {
      const t = await withTotp();
      const first = await challengeOf(t);
      const second = await challengeOf(t);
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge: first, code: codeAt(t, t.secret) }), 'invalid_token');
      await expect(t.auth.completeTwoFactorLogin({ challenge: second, code: codeAt(t, t.secret) })).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    });

    it('dies when the password changes', async () => {
      const t = await withTotp();
      const tokens = await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorRecoveryCode: t.recoveryCodes[9] });
      const challenge = await challengeOf(t);
      t.clock.advance(1);
      await t.auth.changePassword({
        group: 'default',
        accountId: t.accountId,
        sessionId: decodeJwt(tokens.accessToken).payload.sid as string,
        current: PASSWORD,
        next: NEW_PASSWORD,
      });
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, code: codeAt(t, t.secret) }), 'invalid_token');
    });

    it('is neither a reset token nor made from one', async () => {
      const t = await withTotp();
      const challenge = await challengeOf(t);
      await expectAuthError(t.auth.resetPassword({ token: challenge, password: NEW_PASSWORD }), 'invalid_token');
      await t.auth.requestPasswordReset({ email: EMAIL });
      const reset = tokenFromMail(await t.outbox.waitFor((m) => m.kind === 'password-reset'));
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge: reset, code: codeAt(t, t.secret) }), 'invalid_token');
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge: 'x'.repeat(43), code: '123456' }), 'invalid_token');
    });
  });

  describe('throttling', () => {
    it('5 wrong codes in a row → rate_limited even for the right code, recorded in the history', async () => {
      const t = await withTotp();
      const failed: AuthEvent<'account.login-failed'>[] = [];
      t.auth.events.on('account.login-failed', (e) => void failed.push(e));
      const challenge = await challengeOf(t);
      const code = codeAt(t, t.secret);
      for (let i = 0; i < 5; i++) {
        await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, code: wrongCode(code) }), 'invalid_two_factor');
      }
      const limited = await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, code }), 'rate_limited');
      expect(limited.retryAfter).toBeGreaterThan(0);
      expect(limited.retryAfter).toBeLessThanOrEqual(900);
      // The one-step form and recovery codes share the counter.
      await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: code }), 'rate_limited');
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, recoveryCode: t.recoveryCodes[0] }), 'rate_limited');

      // Entries of one millisecond have no order among themselves: count them.
      const count = (reason: string) =>
        history(t.storage, t.accountId).then((all) => all.filter((a) => a.failureReason === reason).length);
      expect(await count('invalid_two_factor')).toBe(5);
      // Throttled attempts reach the owner's history once per window, not once per request.
      expect(await count('rate_limited')).toBe(1);
      expect(failed.map((e) => e.data.reason)).toEqual([...Array(5).fill('invalid_two_factor'), 'rate_limited', 'rate_limited', 'rate_limited']);
      // The recovery code was not spent by the refused attempt.
      expect((await t.storage.accounts.findById('default', t.accountId))!.recoveryCodesRemaining).toBe(10);
    });

    it('counts wrong codes in a row: a success starts the count again', async () => {
      const t = await withTotp();
      for (let round = 0; round < 3; round++) {
        const challenge = await challengeOf(t);
        const code = codeAt(t, t.secret);
        for (let i = 0; i < 4; i++) {
          await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, code: wrongCode(code) }), 'invalid_two_factor');
        }
        await t.auth.completeTwoFactorLogin({ challenge, code });
        t.clock.advance(30);
      }
    });

    it('20 concurrent wrong codes: at most 5 are checked, the rest are rate_limited', async () => {
      const t = await withTotp();
      const challenge = await challengeOf(t);
      const code = codeAt(t, t.secret);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => t.auth.completeTwoFactorLogin({ challenge, code: wrongCode(code) })),
      );
      const codes = results.map((r) => (r as PromiseRejectedResult).reason.code);
      expect(codes.filter((c) => c === 'invalid_two_factor')).toHaveLength(5);
      expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(15);
    });
  });

  describe('no path skips the second factor', () => {
    async function resetToken(t: TestAuth): Promise<string> {
      t.clock.advance(1); // after the account's last change, never at its instant
      const seen = new Set(t.outbox.messages);
      await t.auth.requestPasswordReset({ email: EMAIL });
      return tokenFromMail(await t.outbox.waitFor((m) => m.kind === 'password-reset' && !seen.has(m)));
    }

    it('a password reset without the second factor is refused, and the token stays usable', async () => {
      const t = await withTotp();
      const token = await resetToken(t);
      const missing = await expectAuthError(t.auth.resetPassword({ token, password: NEW_PASSWORD }), 'two_factor_required');
      expect(missing.extra).toEqual({ methods: ['totp'] });
      const code = codeAt(t, t.secret);
      await expectAuthError(t.auth.resetPassword({ token, password: NEW_PASSWORD, twoFactorCode: wrongCode(code) }), 'invalid_two_factor');
      expect((await history(t.storage, t.accountId))[0]).toMatchObject({ method: 'reset', failureReason: 'invalid_two_factor' });
      // The password is unchanged so far.
      await expectAuthError(t.auth.login({ email: EMAIL, password: NEW_PASSWORD }), 'invalid_credentials');

      await t.auth.resetPassword({ token, password: NEW_PASSWORD, twoFactorCode: code });
      await expectAuthError(t.auth.resetPassword({ token, password: NEW_PASSWORD, twoFactorCode: code }), 'invalid_token');
      // And the new password still leads to the second factor, not past it.
      await expectAuthError(t.auth.login({ email: EMAIL, password: NEW_PASSWORD }), 'two_factor_required');
    });

    it('a password reset takes a recovery code as the second factor (used up)', async () => {
      const t = await withTotp();
      const twoFactorCode = t.recoveryCodes[2]!;
      await t.auth.resetPassword({ token: await resetToken(t), password: NEW_PASSWORD, twoFactorCode });
      await expectAuthError(
        t.auth.resetPassword({ token: await resetToken(t), password: NEW_PASSWORD, twoFactorCode }),
        'invalid_two_factor',
      );
    });

    it('a password reset of an SMS account needs more than the mailbox: an email code is not asked for', async () => {
      const sms = await withSms();
      await expectAuthError(sms.auth.resetPassword({ token: await resetToken(sms), password: NEW_PASSWORD }), 'two_factor_required');

      const mail = await withEmailCodes();
      // The reset token already proves the mailbox, which is all an email code would prove.
      await expect(mail.auth.resetPassword({ token: await resetToken(mail), password: NEW_PASSWORD })).resolves.toBeUndefined();
      await expectAuthError(mail.auth.login({ email: EMAIL, password: NEW_PASSWORD }), 'two_factor_required');
    });

    it('unlock is not a way around it: an active account is not unlocked, and its recovery code is not spent', async () => {
      const t = await withTotp();
      const recoveryCode = t.recoveryCodes[0]!;
      await expectAuthError(t.auth.unlockAccount({ email: EMAIL, recoveryCode, newPassword: NEW_PASSWORD }), 'invalid_credentials');
      expect((await t.storage.accounts.findById('default', t.accountId))!.recoveryCodesRemaining).toBe(10);
      await expectAuthError(t.auth.login({ email: EMAIL, password: NEW_PASSWORD }), 'invalid_credentials');
      await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD }), 'two_factor_required');
    });
  });
});
