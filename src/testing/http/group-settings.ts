import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { nextMail, tokenFromMail } from './mail.js';
import {
  bearer,
  expectError,
  type Harness,
  type HttpSuiteContext,
  loginAccount,
  PASSWORD,
  registerAccount,
  signedIn,
  type Tokens,
  uniqueEmail,
  uniqueGroup,
  UNAUTHENTICATED_TOKEN,
  UNKNOWN_REFRESH,
} from './setup.js';
import { totpCode } from './totp-code.js';

const SETUP_REQUIRED = 'This group requires a second factor: set one up to continue.';

/** A multi-group harness and a fresh group of its own (the storage may be shared: `default` is left alone). */
export async function groupWithAdmin(
  ctx: HttpSuiteContext,
  label = 'tenant',
): Promise<{ h: Harness; group: string; p: string; admin: { account: Record<string, any>; tokens: Tokens } }> {
  const h = await ctx.start({ groups: true });
  const group = uniqueGroup(label);
  await h.auth.createGroup({ id: group });
  const p = `/auth/${group}`;
  const { email, account } = await registerAccount(h, { prefix: p });
  await h.auth.grantRole({ group, email, role: 'admin' });
  return { h, group, p, admin: { account, tokens: await loginAccount(h, email, PASSWORD, p) } };
}

/** `PATCH /group` with `settings`, asserting 200; returns the group. */
async function setSettings(h: Harness, p: string, tokens: Tokens, settings: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await h.request('PATCH', `${p}/group`, { headers: bearer(tokens.accessToken), body: { settings } });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** Per-group settings over the app's options: each takes effect in its group only. */
export function describeGroupSettings(ctx: HttpSuiteContext): void {
  describe('group settings', () => {
    it('allowRegistration false, and a locked group, close self-registration with registration_closed', async () => {
      const { h, p, admin } = await groupWithAdmin(ctx);
      await setSettings(h, p, admin.tokens, { allowRegistration: false });
      const closed = await h.request('POST', `${p}/accounts`, { body: { email: uniqueEmail(), password: PASSWORD } });
      expectError(closed, 403, 'registration_closed', 'Registration is closed for this group.');
      await setSettings(h, p, admin.tokens, { allowRegistration: null });
      await registerAccount(h, { prefix: p });
      const locked = await h.request('PATCH', `${p}/group`, { headers: bearer(admin.tokens.accessToken), body: { locked: true } });
      expect(locked.body.locked).toBe(true);
      const refused = await h.request('POST', `${p}/accounts`, { body: { email: uniqueEmail(), password: PASSWORD } });
      expectError(refused, 403, 'registration_closed', 'Registration is closed for this group.');
    });

    it('passwordMinLength applies to registration and to every new password, never below the app', async () => {
      const { h, p, admin } = await groupWithAdmin(ctx);
      const below = await h.request('PATCH', `${p}/group`, { headers: bearer(admin.tokens.accessToken), body: { settings: { passwordMinLength: 7 } } });
      expect({ status: below.status, code: below.body.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
      await setSettings(h, p, admin.tokens, { passwordMinLength: 40 });
      const short = await h.request('POST', `${p}/accounts`, { body: { email: uniqueEmail(), password: PASSWORD } });
      expectError(short, 400, 'validation_failed', 'The password must be at least 40 characters.', [
        { path: 'password', message: 'must be at least 40 characters' },
      ]);
      const long = 'a long passphrase of more than forty characters';
      await registerAccount(h, { prefix: p, password: long });
      const change = await h.request('POST', `${p}/account/password`, {
        headers: bearer(admin.tokens.accessToken),
        body: { current: PASSWORD, new: 'twenty-two characters!' },
      });
      expect({ status: change.status, code: change.body.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
      // Another group keeps the app's minimum.
      const other = uniqueGroup('other');
      await h.auth.createGroup({ id: other });
      await registerAccount(h, { prefix: `/auth/${other}` });
    });

    it('accessTokenTtl sets exp and expiresIn of login and refresh', async () => {
      const { h, p, admin } = await groupWithAdmin(ctx);
      await setSettings(h, p, admin.tokens, { accessTokenTtl: 120 });
      const { email } = await registerAccount(h, { prefix: p });
      const tokens = await loginAccount(h, email, PASSWORD, p);
      const claims = decodeJwt(tokens.accessToken);
      expect({ expiresIn: tokens.expiresIn, lifetime: claims.exp! - claims.iat! }).toEqual({ expiresIn: 120, lifetime: 120 });
      const refreshed = await h.request('POST', `${p}/token/refresh`, { body: { refreshToken: tokens.refreshToken } });
      const again = decodeJwt(refreshed.body.accessToken);
      expect({ expiresIn: refreshed.body.expiresIn, lifetime: again.exp! - again.iat! }).toEqual({ expiresIn: 120, lifetime: 120 });
      h.clock.advance(121);
      expectError(await h.request('GET', `${p}/account`, { headers: bearer(refreshed.body.accessToken) }), 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
    });

    it('sessionIdleTimeout ends sessions left unused that long, access and refresh alike', async () => {
      const { h, p, admin } = await groupWithAdmin(ctx);
      await setSettings(h, p, admin.tokens, { sessionIdleTimeout: 600 });
      const { tokens } = await signedIn(h, p);
      h.clock.advance(599);
      expect((await h.request('GET', `${p}/account`, { headers: bearer(tokens.accessToken) })).status).toBe(200);
      h.clock.advance(2);
      expectError(await h.request('GET', `${p}/account`, { headers: bearer(tokens.accessToken) }), 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
      const refresh = await h.request('POST', `${p}/token/refresh`, { body: { refreshToken: tokens.refreshToken } });
      expectError(refresh, 401, 'unauthenticated', UNKNOWN_REFRESH);
    });

    it('requireEmailVerification refuses login until the address is verified', async () => {
      const { h, p, admin } = await groupWithAdmin(ctx);
      await setSettings(h, p, admin.tokens, { requireEmailVerification: true });
      const { email } = await registerAccount(h, { prefix: p });
      const first = await nextMail(h, 'email-verification', email);
      const refused = await h.request('POST', `${p}/login`, { body: { email, password: PASSWORD } });
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: 'email_not_verified' });
      // The refusal mails a fresh link, which retires the first.
      const mail = await nextMail(h, 'email-verification', email, [first]);
      expect((await h.request('POST', `${p}/email/verify`, { body: { token: tokenFromMail(mail) } })).status).toBe(200);
      await loginAccount(h, email, PASSWORD, p);
    });

    it('requireTwoFactor holds a token to the setup routes until a factor is on, then gives full access', async () => {
      const { h, p, admin } = await groupWithAdmin(ctx);
      await setSettings(h, p, admin.tokens, { requireTwoFactor: true });
      // The admin has no factor either: the admin routes are held back too.
      const held = await h.request('GET', `${p}/group`, { headers: bearer(admin.tokens.accessToken) });
      expectError(held, 403, 'two_factor_setup_required', SETUP_REQUIRED);

      const { email } = await registerAccount(h, { prefix: p });
      const tokens = await loginAccount(h, email, PASSWORD, p);
      expect(tokens.account.twoFactor.enabled).toBe(false);
      expect((tokens as unknown as Record<string, unknown>).twoFactorSetupRequired).toBe(true);
      const auth = { headers: bearer(tokens.accessToken) };
      expect((await h.request('GET', `${p}/account`, auth)).status).toBe(200);
      expect((await h.request('GET', `${p}/account/sessions`, auth)).status).toBe(200);
      for (const [method, path] of [
        ['GET', `${p}/account/logins`],
        ['PATCH', `${p}/account`],
        ['POST', `${p}/account/password`],
      ] as const) {
        const res = await h.request(method, path, { ...auth, ...(method === 'GET' ? {} : { body: {} }) });
        expectError(res, 403, 'two_factor_setup_required', SETUP_REQUIRED);
      }

      const enrol = await h.request('POST', `${p}/account/two-factor/totp`, auth);
      expect(enrol.status, enrol.text).toBe(200);
      const confirm = await h.request('POST', `${p}/account/two-factor/totp/verify`, {
        ...auth,
        body: { code: totpCode(enrol.body.secret, h.clock.now()), password: PASSWORD },
      });
      expect(confirm.status, confirm.text).toBe(200);
      // The same token now reaches everything.
      expect((await h.request('GET', `${p}/account/logins`, auth)).status).toBe(200);
      h.clock.advance(30);
      const login = await h.request('POST', `${p}/login`, {
        body: { email, password: PASSWORD, twoFactorCode: totpCode(enrol.body.secret, h.clock.now()) },
      });
      expect(login.status, login.text).toBe(200);
      expect(login.body.twoFactorSetupRequired).toBeUndefined();
    });

    it('settings of one group change nothing in another', async () => {
      const { h, p, admin } = await groupWithAdmin(ctx);
      await setSettings(h, p, admin.tokens, { accessTokenTtl: 60, requireTwoFactor: true, allowRegistration: false });
      const other = uniqueGroup('other');
      await h.auth.createGroup({ id: other });
      const { tokens } = await signedIn(h, `/auth/${other}`);
      expect(tokens.expiresIn).toBe(h.auth.options.accessTokenTtl);
      expect((await h.request('GET', `/auth/${other}/account/logins`, { headers: bearer(tokens.accessToken) })).status).toBe(200);
    });
  });
}
