import { describe, expect, it } from 'vitest';
import {
  bearer,
  BEARER_REQUIRED,
  expectAccessDead,
  expectError,
  expectRefreshDead,
  type Harness,
  type HttpSuiteContext,
  loginAccount,
  PASSWORD,
  registerAccount,
  signedIn,
  type Tokens,
  uniqueGroup,
} from './setup.js';

const FORBIDDEN = 'This needs the admin role in this group.';
const NO_ACCOUNT = 'No such account.';
const LOCKED = 'This account is locked.';

/** Every admin account route, for the account `id`. */
const adminRoutes = (id: string): [string, string][] => [
  ['GET', `/accounts/${id}`],
  ['POST', `/accounts/${id}/lock`],
  ['POST', `/accounts/${id}/unlock`],
  ['DELETE', `/accounts/${id}`],
];

/** A signed-in account holding the `admin` role in the group of `prefix`. */
async function signedInAdmin(h: Harness, prefix = '/auth', group?: string): Promise<{ account: Record<string, any>; tokens: Tokens }> {
  const { email, account } = await registerAccount(h, { prefix });
  await h.auth.grantRole({ group, email, role: 'admin' });
  return { account, tokens: await loginAccount(h, email, PASSWORD, prefix) };
}

export function describeAdmin(ctx: HttpSuiteContext): void {
  describe('administration of accounts', () => {
    it('refuses every admin route to a non-admin (403) and to no token (401), touching nothing', async () => {
      const h = await ctx.start();
      const user = await signedIn(h);
      const victim = await signedIn(h);
      // On another account, and on their own.
      for (const [method, path] of [...adminRoutes(victim.account.id), ...adminRoutes(user.account.id)]) {
        expectError(await h.request(method, `/auth${path}`, { headers: bearer(user.tokens.accessToken) }), 403, 'forbidden', FORBIDDEN);
        expectError(await h.request(method, `/auth${path}`), 401, 'unauthenticated', BEARER_REQUIRED);
      }
      expect((await h.request('GET', '/auth/account', { headers: bearer(user.tokens.accessToken) })).body.state.status).toBe('active');
      const me = await h.request('GET', '/auth/account', { headers: bearer(victim.tokens.accessToken) });
      expect(me.body.state.status).toBe('active');
    });

    it('takes a revoked admin role away at the next request, whatever the token says', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const user = await signedIn(h);
      const get = () => h.request('GET', `/auth/accounts/${user.account.id}`, { headers: bearer(admin.tokens.accessToken) });
      expect((await get()).status).toBe(200);
      await h.auth.revokeRole({ accountId: admin.account.id, role: 'admin' });
      expectError(await get(), 403, 'forbidden', FORBIDDEN);
    });

    it('lets no one give themselves roles through PATCH /account', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const merge = await h.request('PATCH', '/auth/account', { headers: bearer(tokens.accessToken), body: { roles: ['admin'] } });
      expect({ status: merge.status, code: merge.body.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
      for (const op of ['add', 'replace'] as const) {
        const patch = await h.request('PATCH', '/auth/account', {
          headers: { ...bearer(tokens.accessToken), 'content-type': 'application/json-patch+json' },
          body: [{ op, path: '/roles', value: ['admin'] }],
        });
        expect({ status: patch.status, code: patch.body.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
        const added = await h.request('PATCH', '/auth/account', {
          headers: { ...bearer(tokens.accessToken), 'content-type': 'application/json-patch+json' },
          body: [{ op, path: '/roles/0', value: 'admin' }],
        });
        expect(added.status).toBe(400);
      }
      const me = await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) });
      expect(me.body.roles).toEqual([]);
      expectError(await h.request('GET', `/auth/accounts/${me.body.id}`, { headers: bearer(tokens.accessToken) }), 403, 'forbidden', FORBIDDEN);
    });

    it('shows an account of the group to its admin', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const user = await signedIn(h);
      const res = await h.request('GET', `/auth/accounts/${user.account.id}`, { headers: bearer(admin.tokens.accessToken) });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ id: user.account.id, email: { address: user.email }, roles: [], state: { status: 'active' } });
      const unknown = await h.request('GET', '/auth/accounts/acc_00000000000000000000000000', { headers: bearer(admin.tokens.accessToken) });
      expectError(unknown, 404, 'not_found', NO_ACCOUNT);
    });

    it('lock ends every session at once and refuses the correct password; unlock lets it sign in again', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const user = await signedIn(h);
      const other = await loginAccount(h, user.email, PASSWORD);
      const lock = await h.request('POST', `/auth/accounts/${user.account.id}/lock`, { headers: bearer(admin.tokens.accessToken) });
      expect(lock.status, lock.text).toBe(200);
      expect(lock.body).toMatchObject({ id: user.account.id, state: { status: 'locked', reason: 'admin' } });
      for (const tokens of [user.tokens, other]) {
        await expectAccessDead(h, tokens.accessToken);
        await expectRefreshDead(h, tokens.refreshToken);
      }
      const login = await h.request('POST', '/auth/login', { body: { email: user.email, password: PASSWORD } });
      expectError(login, 423, 'account_locked', LOCKED);

      const unlock = await h.request('POST', `/auth/accounts/${user.account.id}/unlock`, { headers: bearer(admin.tokens.accessToken) });
      expect(unlock.status, unlock.text).toBe(200);
      expect(unlock.body).toMatchObject({ state: { status: 'active', reason: null } });
      const back = await loginAccount(h, user.email, PASSWORD);
      expect(back.account.id).toBe(user.account.id);
    });

    it('unlocks a panic-locked account', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const user = await signedIn(h);
      await h.auth.panicLock({ accountId: user.account.id });
      const unlock = await h.request('POST', `/auth/accounts/${user.account.id}/unlock`, { headers: bearer(admin.tokens.accessToken) });
      expect(unlock.body).toMatchObject({ state: { status: 'active' } });
      await loginAccount(h, user.email, PASSWORD);
    });

    it('hard delete removes the account with every session, and the email registers again', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const user = await signedIn(h);
      const del = await h.request('DELETE', `/auth/accounts/${user.account.id}`, { headers: bearer(admin.tokens.accessToken) });
      expect(del.status, del.text).toBe(200);
      expect(del.body).toMatchObject({ id: user.account.id, state: { status: 'deleted' } });
      await expectAccessDead(h, user.tokens.accessToken);
      await expectRefreshDead(h, user.tokens.refreshToken);
      const get = await h.request('GET', `/auth/accounts/${user.account.id}`, { headers: bearer(admin.tokens.accessToken) });
      expectError(get, 404, 'not_found', NO_ACCOUNT);
      expectError(await h.request('DELETE', `/auth/accounts/${user.account.id}`, { headers: bearer(admin.tokens.accessToken) }), 404, 'not_found', NO_ACCOUNT);
      const again = await registerAccount(h, { email: user.email });
      expect(again.account.id).not.toBe(user.account.id);
    });

    it('keeps an admin of one group away from every account of another (multi-group mode)', async () => {
      const h = await ctx.start({ groups: true });
      const acme = uniqueGroup('acme');
      const globex = uniqueGroup('globex');
      await h.auth.createGroup({ id: acme });
      await h.auth.createGroup({ id: globex });
      const admin = await signedInAdmin(h, `/auth/${acme}`, acme);
      const victim = await signedIn(h, `/auth/${globex}`);
      for (const [method, path] of adminRoutes(victim.account.id)) {
        // In its own group the other group's account does not exist…
        const own = await h.request(method, `/auth/${acme}${path}`, { headers: bearer(admin.tokens.accessToken) });
        expectError(own, 404, 'not_found', NO_ACCOUNT);
        // …and its token is no token in the other group.
        const other = await h.request(method, `/auth/${globex}${path}`, { headers: bearer(admin.tokens.accessToken) });
        expect(other.status).toBe(401);
      }
      const me = await h.request('GET', `/auth/${globex}/account`, { headers: bearer(victim.tokens.accessToken) });
      expect(me.body.state.status).toBe('active');
      // The same email as an admin in the other group is not an admin there.
      const twin = await registerAccount(h, { prefix: `/auth/${globex}`, email: admin.account.email.address });
      const twinTokens = await loginAccount(h, twin.email, PASSWORD, `/auth/${globex}`);
      const get = await h.request('GET', `/auth/${globex}/accounts/${victim.account.id}`, { headers: bearer(twinTokens.accessToken) });
      expectError(get, 403, 'forbidden', FORBIDDEN);
    });
  });
}

