/**
 * The two-factor login tests of the second step: `POST /login/two-factor`, the code given in one step with
 * `POST /login`, and the second factor a password reset asks for.
 */

import { expect, it } from 'vitest';
import {
  bearer,
  expectError,
  type HttpSuiteContext,
  INVALID_BODY,
  INVALID_CREDENTIALS,
  INVALID_TOKEN,
  INVALID_TWO_FACTOR,
  PASSWORD,
  signedIn,
} from './setup.js';
import { tokenFromMail } from './mail.js';
import { totpCode } from './totp-code.js';
import { challengeOf, expectTokens, NEW_PASSWORD, withTotp } from './two-factor-login-helpers.js';

/** Registers the second-step tests, inside the describe block of `describeTwoFactorLogin`. */
export function twoFactorCodeTests(ctx: HttpSuiteContext): void {
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
}
