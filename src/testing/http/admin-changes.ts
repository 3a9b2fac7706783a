import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
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
} from './setup.js';

const FORBIDDEN = 'This needs the admin role in this group.';
const SUPPORT_FORBIDDEN = 'A support session cannot do this.';
const NO_ACCOUNT = 'No such account.';
const PATCH_TYPE = { 'content-type': 'application/json-patch+json' };

async function signedInAdmin(h: Harness, prefix = '/auth', group?: string): Promise<{ account: Record<string, any>; tokens: Tokens }> {
  const { email, account } = await registerAccount(h, { prefix });
  await h.auth.grantRole({ group, email, role: 'admin' });
  return { account, tokens: await loginAccount(h, email, PASSWORD, prefix) };
}

/** A signed-in account that allows support logins. */
async function supportable(h: Harness): Promise<Awaited<ReturnType<typeof signedIn>>> {
  const user = await signedIn(h);
  const res = await h.request('PATCH', '/auth/account', { headers: bearer(user.tokens.accessToken), body: { allowSupportLogin: true } });
  expect(res.status, res.text).toBe(200);
  return user;
}

/** `PATCH /accounts/{id}` and `POST /accounts/{id}/support-session` (api.md, "Administration"). */
export function describeAdminChanges(ctx: HttpSuiteContext): void {
  describe('administration: account updates and support sessions', () => {
    it('refuses both routes to a non-admin (403), and finds no account of another group (404)', async () => {
      const h = await ctx.start({ groups: true });
      const acme = uniqueGroup('acme');
      const globex = uniqueGroup('globex');
      await h.auth.createGroup({ id: acme });
      await h.auth.createGroup({ id: globex });
      const user = await signedIn(h, `/auth/${acme}`);
      const victim = await signedIn(h, `/auth/${acme}`);
      const admin = await signedInAdmin(h, `/auth/${acme}`, acme);
      const stranger = await signedIn(h, `/auth/${globex}`);
      const patch = (prefix: string, id: string, token: string) =>
        h.request('PATCH', `${prefix}/accounts/${id}`, { headers: bearer(token), body: { roles: ['admin'] } });
      const support = (prefix: string, id: string, token: string) =>
        h.request('POST', `${prefix}/accounts/${id}/support-session`, { headers: bearer(token) });
      for (const call of [patch, support]) {
        expectError(await call(`/auth/${acme}`, victim.account.id, user.tokens.accessToken), 403, 'forbidden', FORBIDDEN);
        expectError(await call(`/auth/${acme}`, user.account.id, user.tokens.accessToken), 403, 'forbidden', FORBIDDEN);
        expectError(await call(`/auth/${acme}`, stranger.account.id, admin.tokens.accessToken), 404, 'not_found', NO_ACCOUNT);
      }
      const me = await h.request('GET', `/auth/${acme}/account`, { headers: bearer(user.tokens.accessToken) });
      expect(me.body.roles).toEqual([]);
    });

    it('patches name, roles and email by merge object and by JSON Patch', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const user = await signedIn(h);
      const merge = await h.request('PATCH', `/auth/accounts/${user.account.id}`, {
        headers: bearer(admin.tokens.accessToken),
        body: { name: { first: 'Ada' }, roles: ['admin'] },
      });
      expect(merge.status, merge.text).toBe(200);
      expect(merge.body).toMatchObject({ id: user.account.id, name: { first: 'Ada', last: null }, roles: ['admin'] });
      const next = uniqueEmail('moved');
      const patch = await h.request('PATCH', `/auth/accounts/${user.account.id}`, {
        headers: { ...bearer(admin.tokens.accessToken), ...PATCH_TYPE },
        body: [
          { op: 'test', path: '/roles/0', value: 'admin' },
          { op: 'remove', path: '/roles/0' },
          { op: 'replace', path: '/email', value: `  ${next.toUpperCase()} ` },
        ],
      });
      expect(patch.status, patch.text).toBe(200);
      expect(patch.body).toMatchObject({ roles: [], email: { address: next, verified: false } });
      await h.outbox.waitFor((m) => m.kind === 'email-verification' && m.to === next);
      await loginAccount(h, next, PASSWORD);
    });

    it('refuses a role the admin lacks (403), a taken email (409), and an uneditable path (400)', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const user = await signedIn(h);
      const other = await signedIn(h);
      const send = (body: unknown, headers: Record<string, string> = {}) =>
        h.request('PATCH', `/auth/accounts/${user.account.id}`, { headers: { ...bearer(admin.tokens.accessToken), ...headers }, body });
      expectError(await send({ roles: ['billing'] }), 403, 'forbidden', 'You cannot grant a role you do not hold.');
      expectError(await send([{ op: 'add', path: '/roles/-', value: 'billing' }], PATCH_TYPE), 403, 'forbidden', 'You cannot grant a role you do not hold.');
      // Nor to themselves.
      const self = await h.request('PATCH', `/auth/accounts/${admin.account.id}`, {
        headers: bearer(admin.tokens.accessToken),
        body: { roles: ['admin', 'owner'] },
      });
      expectError(self, 403, 'forbidden', 'You cannot grant a role you do not hold.');
      const taken = await send({ email: other.email.toUpperCase() });
      expectError(taken, 409, 'conflict', 'Another account of this group has this email address.');
      const bad = await send([{ op: 'replace', path: '/passwordHash', value: 'x' }], PATCH_TYPE);
      expect({ status: bad.status, code: bad.body.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
      const me = await h.request('GET', `/auth/accounts/${user.account.id}`, { headers: bearer(admin.tokens.accessToken) });
      expect(me.body).toMatchObject({ roles: [], email: { address: user.email } });
    });

    it('opens a 15-minute support session with act, no refresh token, in the history as support', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const user = await supportable(h);
      h.clock.advance(1); // the history orders by time: the support login comes after the owner's own
      const res = await h.request('POST', `/auth/accounts/${user.account.id}/support-session`, { headers: bearer(admin.tokens.accessToken) });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        refreshToken: null,
        tokenType: 'Bearer',
        expiresIn: 900,
        account: { id: user.account.id },
        act: { sub: admin.account.id },
      });
      const claims = decodeJwt(res.body.accessToken);
      expect(claims).toMatchObject({ sub: user.account.id, act: { sub: admin.account.id }, amr: ['support'] });
      expect(claims.exp! - claims.iat!).toBe(900);
      await h.outbox.waitFor((m) => m.kind === 'support-session' && m.to === user.email);

      const support = bearer(res.body.accessToken);
      const me = await h.request('GET', '/auth/account', { headers: support });
      expect(me.body.id).toBe(user.account.id);
      const logins = await h.request('GET', '/auth/account/logins', { headers: bearer(user.tokens.accessToken) });
      expect(logins.body.data[0]).toMatchObject({ method: 'support', success: true, ip: null, actor: { id: admin.account.id } });
      expect(logins.body.data[0].actor).toHaveProperty('ip');
      expect(logins.body.data[1]).toMatchObject({ method: 'password' });
      expect(logins.body.data[1]).not.toHaveProperty('actor');

      h.clock.advance(15 * 60);
      expectError(await h.request('GET', '/auth/account', { headers: support }), 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
    });

    it('refuses a support session unless the account allows it, and on an admin account', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const other = await signedInAdmin(h);
      const user = await signedIn(h);
      const open = (id: string) => h.request('POST', `/auth/accounts/${id}/support-session`, { headers: bearer(admin.tokens.accessToken) });
      expectError(await open(user.account.id), 403, 'forbidden', 'This account does not allow support logins.');
      await h.request('PATCH', '/auth/account', { headers: bearer(other.tokens.accessToken), body: { allowSupportLogin: true } });
      expectError(await open(other.account.id), 403, 'forbidden', "A support session cannot be opened on an administrator's account.");
      const logins = await h.request('GET', '/auth/account/logins', { headers: bearer(user.tokens.accessToken) });
      expect(logins.body.data.map((l: { method: string }) => l.method)).toEqual(['password']);
    });

    it('keeps a support token from password, factors, roles, email and another support session', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const user = await supportable(h);
      const victim = await supportable(h);
      // The account the support session acts as is itself an admin's equal in nothing: give it the
      // role after the session opened, to prove the token still cannot administer.
      const res = await h.request('POST', `/auth/accounts/${user.account.id}/support-session`, { headers: bearer(admin.tokens.accessToken) });
      const support = bearer(res.body.accessToken);
      await h.auth.grantRole({ accountId: user.account.id, role: 'admin' });
      const attempts: [string, string, unknown, Record<string, string>?][] = [
        ['POST', '/auth/account/password', { current: PASSWORD, new: 'another long passphrase 42' }],
        ['POST', '/auth/account/two-factor/totp', { password: PASSWORD }],
        ['PUT', '/auth/account/recovery-codes', { password: PASSWORD }],
        ['POST', '/auth/account/phone', { phone: '+15555550123', password: PASSWORD }],
        ['POST', '/auth/account/webauthn/register/options', {}],
        ['DELETE', '/auth/account', { password: PASSWORD }],
        ['PATCH', `/auth/accounts/${user.account.id}`, { roles: ['admin'] }],
        ['PATCH', `/auth/accounts/${user.account.id}`, { email: uniqueEmail('takeover') }],
        ['POST', `/auth/accounts/${victim.account.id}/support-session`, undefined],
      ];
      // Without passkeys configured their routes are absent (404) for every caller.
      const present = attempts.filter(([, path]) => h.auth.options.webauthn !== undefined || !path.includes('/webauthn/'));
      for (const [method, path, body] of present) {
        const r = await h.request(method, path, { headers: support, ...(body === undefined ? {} : { body }) });
        expectError(r, 403, 'forbidden', SUPPORT_FORBIDDEN);
      }
      await loginAccount(h, user.email, PASSWORD);
      const logins = await h.request('GET', '/auth/account/logins', { headers: bearer(victim.tokens.accessToken) });
      expect(logins.body.data.every((l: { method: string }) => l.method !== 'support')).toBe(true);
    });
  });
}
