import { describe, expect, it } from 'vitest';
import { nextMail, settle, tokenFromMail } from './mail.js';
import {
  bearer,
  enableTotp,
  expectAccessDead,
  expectError,
  expectRefreshDead,
  type Harness,
  type HttpSuiteContext,
  INVALID_CREDENTIALS,
  loginAccount,
  PASSWORD,
  registerAccount,
  signedIn,
  type Tokens,
} from './setup.js';
import { totpCode } from './totp-code.js';

/** The squatter registers with this one; the owner of the mailbox never knows it. */
const SQUATTER_PASSWORD = PASSWORD;
const OWNER_PASSWORD = 'the real owner of the mailbox';
const ACCOUNT_LOCKED = 'This account is locked.';

/**
 * `POST /password/forgot` a second after whatever came before (a token stamped with the account's
 * last change is refused), asserting 202; the token mailed for it, or null when no mail came.
 */
async function forgot(h: Harness, email: string): Promise<string | null> {
  h.clock.advance(1);
  const before = new Set(h.outbox.messages);
  const res = await h.request('POST', '/auth/password/forgot', { body: { email } });
  expect({ status: res.status, text: res.text }).toEqual({ status: 202, text: '' });
  await settle();
  const mail = h.outbox.messages.find((m) => m.kind === 'password-reset' && m.to === email && !before.has(m));
  return mail ? tokenFromMail(mail) : null;
}

/** `POST /password/reset`, asserting `200 { success: true }`. */
async function reset(h: Harness, token: string, password: string, twoFactorCode?: string): Promise<void> {
  const body = { token, password, ...(twoFactorCode ? { twoFactorCode } : {}) };
  const res = await h.request('POST', '/auth/password/reset', { body });
  expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: { success: true } });
}

/** Registers and verifies the address over HTTP, then signs in: an owner who proved the mailbox. */
async function verifiedSignedIn(h: Harness): Promise<{ email: string; tokens: Tokens }> {
  const { email } = await registerAccount(h, { password: OWNER_PASSWORD });
  const token = tokenFromMail(await nextMail(h, 'email-verification', email));
  const verified = await h.request('POST', '/auth/email/verify', { body: { token } });
  expect(verified.status, verified.text).toBe(200);
  return { email, tokens: await loginAccount(h, email, OWNER_PASSWORD) };
}

export function describeAccountTakeover(ctx: HttpSuiteContext): void {
  describe('account takeover: pre-account hijacking and the panic lock', () => {
    it('a squatter’s sessions and settings end when the owner verifies the address (POST /email/verify)', async () => {
      const h = await ctx.start();
      // The squatter registers the owner's address first and signs in twice.
      const { email, tokens: laptop } = await signedIn(h);
      const phone = await loginAccount(h, email, SQUATTER_PASSWORD);
      const patch = await h.request('PATCH', '/auth/account', {
        headers: bearer(laptop.accessToken),
        body: { allowSupportLogin: true },
      });
      expect(patch.status, patch.text).toBe(200);

      // The owner follows the verification link that went to their mailbox.
      const token = tokenFromMail(await nextMail(h, 'email-verification', email));
      const res = await h.request('POST', '/auth/email/verify', { body: { token } });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        email: { address: email, verified: true },
        allowSupportLogin: false,
        twoFactor: { enabled: false, methods: [], recoveryCodesRemaining: 0 },
      });
      for (const tokens of [laptop, phone]) {
        await expectAccessDead(h, tokens.accessToken);
        await expectRefreshDead(h, tokens.refreshToken);
      }
    });

    it('a squatter’s TOTP does not survive the owner’s verification, nor ask the owner’s reset for a code', async () => {
      const h = await ctx.start();
      const { email, tokens } = await signedIn(h);
      const { secret } = await enableTotp(h, tokens);

      const token = tokenFromMail(await nextMail(h, 'email-verification', email));
      const res = await h.request('POST', '/auth/email/verify', { body: { token } });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ twoFactor: { enabled: false, methods: [], recoveryCodesRemaining: 0 } });
      await expectAccessDead(h, tokens.accessToken);
      await expectRefreshDead(h, tokens.refreshToken);

      // The owner takes the password over: no second factor is asked for.
      await reset(h, (await forgot(h, email))!, OWNER_PASSWORD);
      const old = await h.request('POST', '/auth/login', {
        body: { email, password: SQUATTER_PASSWORD, twoFactorCode: totpCode(secret, h.clock.now()) },
      });
      expectError(old, 401, 'invalid_credentials', INVALID_CREDENTIALS);
      const owner = await loginAccount(h, email, OWNER_PASSWORD);
      expect(owner.account.twoFactor).toEqual({ enabled: false, methods: [], recoveryCodesRemaining: 0 });
    });

    it('a squatter’s TOTP cannot hold the owner’s password reset hostage (no two_factor_required)', async () => {
      const h = await ctx.start();
      const { email, tokens } = await signedIn(h);
      const { secret } = await enableTotp(h, tokens);

      const token = (await forgot(h, email))!;
      expect(token).not.toBeNull();
      await reset(h, token, OWNER_PASSWORD);

      await expectAccessDead(h, tokens.accessToken);
      await expectRefreshDead(h, tokens.refreshToken);
      const old = await h.request('POST', '/auth/login', {
        body: { email, password: SQUATTER_PASSWORD, twoFactorCode: totpCode(secret, h.clock.now()) },
      });
      expectError(old, 401, 'invalid_credentials', INVALID_CREDENTIALS);
      const owner = await loginAccount(h, email, OWNER_PASSWORD);
      expect(owner.account).toMatchObject({
        email: { verified: true },
        twoFactor: { enabled: false, methods: [], recoveryCodesRemaining: 0 },
      });
    });

    it('a factor set up after the address was proven stays: the reset asks for it', async () => {
      const h = await ctx.start();
      const { email, tokens } = await verifiedSignedIn(h);
      const enrol = await h.request('POST', '/auth/account/two-factor/totp', { headers: bearer(tokens.accessToken) });
      const { secret } = enrol.body as { secret: string };
      const confirm = await h.request('POST', '/auth/account/two-factor/totp/verify', {
        headers: bearer(tokens.accessToken),
        body: { code: totpCode(secret, h.clock.now()), password: OWNER_PASSWORD },
      });
      expect(confirm.status, confirm.text).toBe(200);
      h.clock.advance(30);

      const token = (await forgot(h, email))!;
      const missing = await h.request('POST', '/auth/password/reset', { body: { token, password: 'a third passphrase' } });
      expect(missing.status).toBe(401);
      expect((missing.body as { error: { code: string } }).error.code).toBe('two_factor_required');
      await reset(h, token, 'a third passphrase', totpCode(secret, h.clock.now()));
    });

    it('PUT /account/panic without recovery codes: forgot → reset unlocks it → sign in', async () => {
      const h = await ctx.start();
      const { email, tokens } = await verifiedSignedIn(h);
      h.clock.advance(1);
      const panic = await h.request('PUT', '/auth/account/panic', { headers: bearer(tokens.accessToken) });
      expect(panic.status, panic.text).toBe(204);
      const lockedMail = await nextMail(h, 'account-locked', email);
      expect(lockedMail.text).toContain('"Forgot password"');
      const locked = await h.request('POST', '/auth/login', { body: { email, password: OWNER_PASSWORD } });
      expectError(locked, 423, 'account_locked', ACCOUNT_LOCKED);

      const token = await forgot(h, email);
      expect(token).not.toBeNull();
      const newPassword = 'back in through the mailbox';
      await reset(h, token!, newPassword);
      await nextMail(h, 'account-unlocked', email);

      await expectAccessDead(h, tokens.accessToken);
      await expectRefreshDead(h, tokens.refreshToken);
      const old = await h.request('POST', '/auth/login', { body: { email, password: OWNER_PASSWORD } });
      expectError(old, 401, 'invalid_credentials', INVALID_CREDENTIALS);
      const back = await loginAccount(h, email, newPassword);
      expect(back.account.state).toEqual({ status: 'active', changedAt: h.clock.now().toISOString(), reason: null });
    });

    it('PUT /account/panic with recovery codes: no reset is mailed, and only a recovery code unlocks', async () => {
      const h = await ctx.start();
      const { email, tokens } = await verifiedSignedIn(h);
      const codes = await h.request('PUT', '/auth/account/recovery-codes', {
        headers: bearer(tokens.accessToken),
        body: { password: OWNER_PASSWORD },
      });
      expect(codes.status, codes.text).toBe(200);
      const { recoveryCodes } = codes.body as { recoveryCodes: string[] };
      h.clock.advance(1);
      expect((await h.request('PUT', '/auth/account/panic', { headers: bearer(tokens.accessToken) })).status).toBe(204);

      expect(await forgot(h, email)).toBeNull();
      const locked = await h.request('POST', '/auth/login', { body: { email, password: OWNER_PASSWORD } });
      expectError(locked, 423, 'account_locked', ACCOUNT_LOCKED);
      h.clock.advance(1);
      const newPassword = 'unlocked with a code';
      const unlock = await h.request('POST', '/auth/account/unlock', {
        body: { email, recoveryCode: recoveryCodes[0], newPassword },
      });
      expect(unlock.status, unlock.text).toBe(200);
      await loginAccount(h, email, newPassword);
    });
  });
}
