import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  bearer,
  expectError,
  type Harness,
  type HttpSuiteContext,
  INVALID_CREDENTIALS,
  loginAccount,
  PASSWORD,
  registerAccount,
  uniqueEmail,
  uniqueGroup,
  UNAUTHENTICATED_TOKEN,
  UNKNOWN_REFRESH,
} from './setup.js';

/** A multi-group harness with two groups, named like `acme-…` and `globex-…`. */
async function twoGroups(ctx: HttpSuiteContext): Promise<{ h: Harness; acme: string; globex: string }> {
  const h = await ctx.start({ groups: true });
  const acme = uniqueGroup('acme');
  const globex = uniqueGroup('globex');
  await h.auth.createGroup({ id: acme, name: 'Acme' });
  await h.auth.createGroup({ id: globex, name: 'Globex' });
  return { h, acme, globex };
}

export function describeGroups(ctx: HttpSuiteContext): void {
  describe('multi-group mode', () => {
    it('serves every route under the group id, with accounts of that group', async () => {
      const { h, acme } = await twoGroups(ctx);
      const { email, account } = await registerAccount(h, { prefix: `/auth/${acme}` });
      expect(account.group).toBe(acme);
      const tokens = await loginAccount(h, email, PASSWORD, `/auth/${acme}`);
      expect(decodeJwt(tokens.accessToken)).toMatchObject({ grp: acme, sub: account.id });
      const me = await h.request('GET', `/auth/${acme}/account`, { headers: bearer(tokens.accessToken) });
      expect({ status: me.status, id: me.body.id }).toEqual({ status: 200, id: account.id });
      const refreshed = await h.request('POST', `/auth/${acme}/token/refresh`, {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(refreshed.status).toBe(200);
      // Without a group prefix there is no route at all.
      const unprefixed = await h.request('POST', '/auth/login', { body: { email, password: PASSWORD } });
      expectError(unprefixed, 404, 'not_found', 'No such route.');
    });

    it('keeps the same email in two groups as two accounts with their own passwords', async () => {
      const { h, acme, globex } = await twoGroups(ctx);
      const email = uniqueEmail();
      const a = await registerAccount(h, { prefix: `/auth/${acme}`, email, password: PASSWORD });
      const g = await registerAccount(h, { prefix: `/auth/${globex}`, email, password: 'globex long passphrase' });
      expect(a.account.id).not.toBe(g.account.id);
      expect([a.account.group, g.account.group]).toEqual([acme, globex]);
      expect((await loginAccount(h, email, PASSWORD, `/auth/${acme}`)).account.id).toBe(a.account.id);
      expect((await loginAccount(h, email, 'globex long passphrase', `/auth/${globex}`)).account.id).toBe(g.account.id);
      const crossed = await h.request('POST', `/auth/${globex}/login`, { body: { email, password: PASSWORD } });
      expectError(crossed, 401, 'invalid_credentials', INVALID_CREDENTIALS);
    });

    it('rejects a token of one group in every other group', async () => {
      const { h, acme, globex } = await twoGroups(ctx);
      const { email } = await registerAccount(h, { prefix: `/auth/${acme}` });
      const tokens = await loginAccount(h, email, PASSWORD, `/auth/${acme}`);
      const me = await h.request('GET', `/auth/${globex}/account`, { headers: bearer(tokens.accessToken) });
      expectError(me, 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
      const sessions = await h.request('GET', `/auth/${globex}/account/sessions`, {
        headers: bearer(tokens.accessToken),
      });
      expectError(sessions, 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
      const body = { refreshToken: tokens.refreshToken };
      const refresh = await h.request('POST', `/auth/${globex}/token/refresh`, { body });
      expectError(refresh, 401, 'unauthenticated', UNKNOWN_REFRESH);
      // Logging out or revoking in the wrong group does nothing.
      await h.request('POST', `/auth/${globex}/logout`, { body });
      await h.request('POST', `/auth/${globex}/token/revoke`, { body: { token: tokens.accessToken } });
      const me2 = await h.request('GET', `/auth/${acme}/account`, { headers: bearer(tokens.accessToken) });
      expect(me2.status).toBe(200);
    });

    it('answers 404 for an unknown group', async () => {
      const { h } = await twoGroups(ctx);
      const unknown = uniqueGroup('initech');
      const cases: [string, string][] = [
        ['POST', `/auth/${unknown}/accounts`],
        ['POST', `/auth/${unknown}/login`],
        ['GET', `/auth/${unknown}/.well-known/jwks.json`],
      ];
      for (const [method, path] of cases) {
        const init = method === 'POST' ? { body: { email: uniqueEmail(), password: PASSWORD } } : {};
        expectError(await h.request(method, path, init), 404, 'not_found', 'No such group.');
      }
      const malformed = await h.request('POST', '/auth/Not%20A%20Group/login', { body: {} });
      expectError(malformed, 404, 'not_found', 'No such route.');
    });

    it('publishes a separate JWKS per group', async () => {
      const { h, acme, globex } = await twoGroups(ctx);
      const a = await h.request('GET', `/auth/${acme}/.well-known/jwks.json`);
      const g = await h.request('GET', `/auth/${globex}/.well-known/jwks.json`);
      expect([a.status, g.status]).toEqual([200, 200]);
      const kids = (res: typeof a) => (res.body.keys as { kid: string }[]).map((k) => k.kid);
      expect(kids(a)).toHaveLength(1);
      expect(kids(g)).toHaveLength(1);
      expect(kids(a)).not.toEqual(kids(g));
      expect(a.body.keys[0].x).not.toBe(g.body.keys[0].x);
    });
  });
}
