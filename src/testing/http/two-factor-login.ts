import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  bearer,
  enableTotp,
  expectAccessDead,
  expectError,
  expectRefreshDead,
  type Harness,
  type HttpSuiteContext,
  INVALID_BODY,
  INVALID_CREDENTIALS,
  INVALID_TOKEN,
  INVALID_TWO_FACTOR,
  loginAccount,
  OTP_REQUIRED,
  PASSWORD,
  registerAccount,
  signedIn,
  type Tokens,
} from './setup.js';
import { nextMail, tokenFromMail } from './mail.js';
import { totpCode } from './totp-code.js';

const TWO_FACTOR_REQUIRED = 'A second factor is required.';
const ACCOUNT_LOCKED = 'This account is locked.';
const UNLOCK_REFUSED = 'The email or recovery code is incorrect.';
const NEW_PASSWORD = 'a brand new passphrase';
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Registers, verifies the address (on an unproven account a reset forgets the factors instead of asking
 * for them), signs in and turns TOTP on over HTTP; the clock then moves one step on (the confirming code
 * is used).
 */
async function withTotp(
  h: Harness,
): Promise<{ email: string; tokens: Tokens; secret: string; recoveryCodes: string[] }> {
  const { email } = await registerAccount(h);
  const token = tokenFromMail(await nextMail(h, 'email-verification', email));
  const verified = await h.request('POST', '/auth/email/verify', { body: { token } });
  expect(verified.status, verified.text).toBe(200);
  const tokens = await loginAccount(h, email, PASSWORD);
  return { email, tokens, ...(await enableTotp(h, tokens)) };
}

/** `POST /login` with the password alone, asserting the whole `two_factor_required` answer. */
async function challengeOf(h: Harness, email: string, methods: string[], password = PASSWORD): Promise<string> {
  const res = await h.request('POST', '/auth/login', { body: { email, password } });
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status: 401,
    body: {
      error: { code: 'two_factor_required', message: TWO_FACTOR_REQUIRED },
      methods,
      challenge: expect.stringMatching(CHALLENGE),
    },
  });
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (res.body as { challenge: string }).challenge;
}

/** Asserts a 200 token response whose access token records `amr`, and returns it. */
function expectTokens(res: { status: number; text: string; body: unknown }, amr: string[]): Tokens {
  expect(res.status, res.text).toBe(200);
  const tokens = res.body as Tokens;
  expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshToken: expect.stringMatching(CHALLENGE) });
  expect(decodeJwt(tokens.accessToken).amr).toEqual(amr);
  return tokens;
}

export function describeTwoFactorLogin(ctx: HttpSuiteContext): void {
  describe('two-factor login, panic lock and unlock', () => {
    it('POST /login answers two_factor_required with a challenge; POST /login/two-factor completes it', async () => {
      const h = await ctx.start();
      const { email, secret } = await withTotp(h);
      const challenge = await challengeOf(h, email, ['totp']);

      const res = await h.request('POST', '/auth/login/two-factor', {
        body: { challenge, code: totpCode(secret, h.clock.now()) },
      });
      const tokens = expectTokens(res, ['pwd', 'otp', 'mfa']);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const account = await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) });
      expect(account.status, account.text).toBe(200);

      h.clock.advance(30);
      const again = await h.request('POST', '/auth/login/two-factor', {
        body: { challenge, code: totpCode(secret, h.clock.now()) },
      });
      expectError(again, 400, 'invalid_token', INVALID_TOKEN);
    });

    it('POST /login/two-factor: a wrong code is 401, the challenge stays usable; an expired one is 400', async () => {
      const h = await ctx.start();
      const { email, secret } = await withTotp(h);
      const challenge = await challengeOf(h, email, ['totp']);
      const code = totpCode(secret, h.clock.now());
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      const refused = await h.request('POST', '/auth/login/two-factor', { body: { challenge, code: wrong } });
      expectError(refused, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      const right = await h.request('POST', '/auth/login/two-factor', { body: { challenge, code } });
      expectTokens(right, ['pwd', 'otp', 'mfa']);

      const late = await challengeOf(h, email, ['totp']);
      h.clock.advance(300);
      const expired = await h.request('POST', '/auth/login/two-factor', {
        body: { challenge: late, code: totpCode(secret, h.clock.now()) },
      });
      expectError(expired, 400, 'invalid_token', INVALID_TOKEN);
    });

    it('POST /login/two-factor validates its body', async () => {
      const h = await ctx.start();
      const { email } = await withTotp(h);
      const challenge = await challengeOf(h, email, ['totp']);
      const unknown = await h.request('POST', '/auth/login/two-factor', {
        body: { challenge, code: '123456', extra: 1 },
      });
      expect(unknown.status).toBe(400);
      expect((unknown.body as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'validation_failed',
        message: INVALID_BODY,
      });
      const noCode = await h.request('POST', '/auth/login/two-factor', { body: { challenge } });
      expectError(noCode, 400, 'validation_failed', 'A code or a recovery code is required.', [
        { path: 'code', message: 'is required' },
      ]);
    });

    it('POST /login/two-factor with method "email" alone mails a code (202); the code completes', async () => {
      const h = await ctx.start();
      const { email, tokens } = await signedIn(h);
      const mailedCode = () => {
        const mail = h.outbox.messages.filter((m) => m.kind === 'one-time-code').at(-1);
        return /Code: (\d{6})/.exec(mail?.text ?? '')?.[1] ?? 'none';
      };
      const send = await h.request('POST', '/auth/account/otp/send', {
        headers: bearer(tokens.accessToken),
        body: { channel: 'email' },
      });
      expect(send.status, send.text).toBe(202);
      const enable = await h.request('POST', '/auth/account/otp/verify', {
        headers: bearer(tokens.accessToken),
        body: { channel: 'email', code: mailedCode(), password: PASSWORD },
      });
      expect(enable.status, enable.text).toBe(200);

      const challenge = await challengeOf(h, email, ['email']);
      const sent = h.outbox.messages.length;
      const asked = await h.request('POST', '/auth/login/two-factor', { body: { challenge, method: 'email' } });
      expect(asked.status, asked.text).toBe(202);
      expect(asked.text).toBe('');
      expect(h.outbox.messages.length).toBe(sent + 1);
      const res = await h.request('POST', '/auth/login/two-factor', {
        body: { challenge, method: 'email', code: mailedCode() },
      });
      expectTokens(res, ['pwd', 'otp', 'mfa']);
    });

    it('POST /login takes the second factor in one step: twoFactorCode once, a recovery code once', async () => {
      const h = await ctx.start();
      const { email, secret, recoveryCodes } = await withTotp(h);
      const twoFactorCode = totpCode(secret, h.clock.now());
      const first = await h.request('POST', '/auth/login', { body: { email, password: PASSWORD, twoFactorCode } });
      expectTokens(first, ['pwd', 'otp', 'mfa']);
      const replay = await h.request('POST', '/auth/login', { body: { email, password: PASSWORD, twoFactorCode } });
      expectError(replay, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);

      const twoFactorRecoveryCode = recoveryCodes[0]!;
      const rc = await h.request('POST', '/auth/login', { body: { email, password: PASSWORD, twoFactorRecoveryCode } });
      expectTokens(rc, ['pwd', 'otp', 'mfa']);
      const rcAgain = await h.request('POST', '/auth/login', {
        body: { email, password: PASSWORD, twoFactorRecoveryCode },
      });
      expectError(rcAgain, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      // A wrong password with a right code is still just a wrong password.
      h.clock.advance(30);
      const wrongPassword = await h.request('POST', '/auth/login', {
        body: { email, password: `${PASSWORD}!`, twoFactorCode: totpCode(secret, h.clock.now()) },
      });
      expectError(wrongPassword, 401, 'invalid_credentials', INVALID_CREDENTIALS);
    });

    it('POST /password/reset needs the second factor too, and a refusal leaves the reset token usable', async () => {
      const h = await ctx.start();
      const { email, secret } = await withTotp(h);
      h.clock.advance(1); // a reset token must be issued after the account's last change
      const forgot = await h.request('POST', '/auth/password/forgot', { body: { email } });
      expect(forgot.status).toBe(202);
      const mail = await h.outbox.waitFor((m) => m.kind === 'password-reset');
      const token = tokenFromMail(mail);
      const missing = await h.request('POST', '/auth/password/reset', { body: { token, password: NEW_PASSWORD } });
      expect({ status: missing.status, body: missing.body as unknown }).toEqual({
        status: 401,
        body: {
          error: { code: 'two_factor_required', message: 'A second factor is required to reset the password.' },
          methods: ['totp'],
        },
      });
      const done = await h.request('POST', '/auth/password/reset', {
        body: { token, password: NEW_PASSWORD, twoFactorCode: totpCode(secret, h.clock.now()) },
      });
      expect({ status: done.status, body: done.body as unknown }).toEqual({ status: 200, body: { success: true } });
    });

    it('PUT /account/panic (204) locks; POST /account/unlock (200 tokens) unlocks; 2FA still applies', async () => {
      const h = await ctx.start();
      const { email, tokens, recoveryCodes } = await withTotp(h);
      const other = await h.request('POST', '/auth/login', {
        body: { email, password: PASSWORD, twoFactorRecoveryCode: recoveryCodes[9] },
      });
      const otherTokens = expectTokens(other, ['pwd', 'otp', 'mfa']);

      const panic = await h.request('PUT', '/auth/account/panic', { headers: bearer(tokens.accessToken) });
      expect(panic.status, panic.text).toBe(204);
      expect(panic.text).toBe('');
      for (const t of [tokens, otherTokens]) {
        await expectAccessDead(h, t.accessToken);
        await expectRefreshDead(h, t.refreshToken);
      }
      const wrong = await h.request('POST', '/auth/login', { body: { email, password: `${PASSWORD}!` } });
      expectError(wrong, 401, 'invalid_credentials', INVALID_CREDENTIALS);
      const locked = await h.request('POST', '/auth/login', { body: { email, password: PASSWORD } });
      expectError(locked, 423, 'account_locked', ACCOUNT_LOCKED);
      await h.outbox.waitFor((m) => m.kind === 'account-locked' && m.to === email);

      h.clock.advance(1);
      const badCode = await h.request('POST', '/auth/account/unlock', {
        body: { email, recoveryCode: 'aaaaa-bbbbb-ccccc', newPassword: NEW_PASSWORD },
      });
      expectError(badCode, 401, 'invalid_credentials', UNLOCK_REFUSED);
      const unlock = await h.request('POST', '/auth/account/unlock', {
        body: { email, recoveryCode: recoveryCodes[0], newPassword: NEW_PASSWORD },
      });
      const unlocked = expectTokens(unlock, ['otp']);
      expect(unlocked.account).toMatchObject({
        state: { status: 'active', reason: null },
        twoFactor: { enabled: true, methods: ['totp'], recoveryCodesRemaining: 8 },
      });
      await h.outbox.waitFor((m) => m.kind === 'account-unlocked' && m.to === email);
      const me = await h.request('GET', '/auth/account', { headers: bearer(unlocked.accessToken) });
      expect(me.status, me.text).toBe(200);

      const oldPassword = await h.request('POST', '/auth/login', { body: { email, password: PASSWORD } });
      expectError(oldPassword, 401, 'invalid_credentials', INVALID_CREDENTIALS);
      await challengeOf(h, email, ['totp'], NEW_PASSWORD);
      const reuse = await h.request('POST', '/auth/account/unlock', {
        body: { email, recoveryCode: recoveryCodes[0], newPassword: NEW_PASSWORD },
      });
      expectError(reuse, 401, 'invalid_credentials', UNLOCK_REFUSED);
    });

    it('a stolen access token cannot take the account over: it plants no factor, so panic + unlock gets nowhere', async () => {
      const h = await ctx.start();
      const { email, tokens, secret, recoveryCodes } = await withTotp(h);
      // Stolen from the session the owner just opened (a phishing proxy may hold the password too): a
      // fresh sign-in is no proof by itself.
      const stolen = bearer(tokens.accessToken);

      // 1. Replace the owner's authenticator with the attacker's: refused without a code of the owner's,
      // whether the token comes alone or with the (phished) password.
      const enrol = await h.request('POST', '/auth/account/two-factor/totp', { headers: stolen });
      expect(enrol.status, enrol.text).toBe(200);
      const attackers = (enrol.body as { secret: string }).secret;
      const confirmPath = '/auth/account/two-factor/totp/verify';
      const alone = await h.request('POST', confirmPath, {
        headers: stolen,
        body: { code: totpCode(attackers, h.clock.now()) },
      });
      expectError(alone, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      const confirm = await h.request('POST', confirmPath, {
        headers: stolen,
        body: { code: totpCode(attackers, h.clock.now()), password: PASSWORD },
      });
      expectError(confirm, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      // 2. Nor can it mint recovery codes of its own: once a factor is on the password, phished or
      // guessed, is no proof.
      for (const body of [undefined, { password: PASSWORD }, { password: `${PASSWORD}!` }]) {
        const codes = await h.request('PUT', '/auth/account/recovery-codes', { headers: stolen, body });
        expectError(codes, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      }
      const account = await h.request('GET', '/auth/account', { headers: stolen });
      expect((account.body as Record<string, any>).twoFactor).toEqual({
        enabled: true,
        methods: ['totp'],
        recoveryCodesRemaining: 10,
      });

      // 3. Panic, then unlock: the attacker holds no recovery code, so the account stays the owner's.
      expect((await h.request('PUT', '/auth/account/panic', { headers: stolen })).status).toBe(204);
      const unlock = await h.request('POST', '/auth/account/unlock', {
        body: { email, recoveryCode: 'aaaaa-bbbbb-ccccc', newPassword: 'attacker owns this 999' },
      });
      expectError(unlock, 401, 'invalid_credentials', UNLOCK_REFUSED);
      const owner = await h.request('POST', '/auth/account/unlock', {
        body: { email, recoveryCode: recoveryCodes[0], newPassword: NEW_PASSWORD },
      });
      expectTokens(owner, ['otp']);
      h.clock.advance(30);
      const login = await h.request('POST', '/auth/login', {
        body: { email, password: NEW_PASSWORD, twoFactorCode: totpCode(secret, h.clock.now()) },
      });
      expectTokens(login, ['pwd', 'otp', 'mfa']);
    });

    it('PUT /account/panic needs a bearer token; POST /account/unlock validates its body', async () => {
      const h = await ctx.start();
      const anonymous = await h.request('PUT', '/auth/account/panic');
      expectError(anonymous, 401, 'unauthenticated', 'A bearer access token is required.');
      const short = await h.request('POST', '/auth/account/unlock', {
        body: { email: 'ada@example.com', recoveryCode: 'aaaaa-bbbbb-ccccc', newPassword: 'short' },
      });
      expectError(short, 400, 'validation_failed', 'The password must be at least 8 characters.', [
        { path: 'newPassword', message: 'must be at least 8 characters' },
      ]);
    });
  });
}
