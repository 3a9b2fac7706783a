import { describe, expect, it } from 'vitest';
import {
  bearer,
  expectAccessDead,
  expectError,
  expectRefreshDead,
  type HttpSuiteContext,
  INVALID_CREDENTIALS,
  OTP_REQUIRED,
  PASSWORD,
} from './setup.js';
import { totpCode } from './totp-code.js';
import { twoFactorCodeTests } from './two-factor-login-codes.js';
import { challengeOf, expectTokens, NEW_PASSWORD, withTotp } from './two-factor-login-helpers.js';

const ACCOUNT_LOCKED = 'This account is locked.';
const UNLOCK_REFUSED = 'The email or recovery code is incorrect.';

export function describeTwoFactorLogin(ctx: HttpSuiteContext): void {
  describe('two-factor login, panic lock and unlock', () => {
    twoFactorCodeTests(ctx);

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
