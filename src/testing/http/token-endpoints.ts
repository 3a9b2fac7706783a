import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../core/ports.js';
import type { CreateClient, TestResponse } from '../http-client.js';
import {
  bearer,
  createSuiteContext,
  expectAccessDead,
  expectRefreshDead,
  type Harness,
  type HarnessOptions,
  loginAccount,
  PASSWORD,
  registerAccount,
  signedIn,
  type Tokens,
  uniqueGroup,
} from './setup.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();

/** A harness that also holds the storage of its auth instance, to grant the admin role. */
type StoredHarness = Harness & { storage: Storage };

/** Signs in a new account of the group that holds the `admin` role; returns its tokens. */
async function signedInAdmin(h: StoredHarness, prefix = '/auth', group = 'default'): Promise<Tokens> {
  const { account, email } = await registerAccount(h, { prefix });
  await h.storage.accounts.update(group, account.id as string, { roles: ['admin'] });
  return loginAccount(h, email, PASSWORD, prefix);
}

function expectOAuthError(res: TestResponse, status: number, error: string): void {
  expect({ status: res.status, error: (res.body as { error?: unknown } | undefined)?.error }).toEqual({ status, error });
  expect(res.body).toEqual({ error, error_description: expect.any(String) });
  expect(res.headers.get('cache-control')).toBe('no-store');
}

/**
 * The OAuth token endpoints (RFC 7009 revocation, RFC 7662 introspection): what OAuth clients send
 * (form-encoded bodies, RFC parameter names, `client_id`), and RFC 6749 §5.2 error bodies. It builds its
 * own harnesses, over the suite's storage, so that a test can make an administrator.
 */
export function describeTokenEndpoints(createClient: CreateClient, storage: () => Promise<Storage>): void {
  let last: Storage | undefined;
  const ctx = createSuiteContext(createClient, async () => (last = await storage()));
  const start = async (options?: HarnessOptions): Promise<StoredHarness> => ({ ...(await ctx.start(options)), storage: last! });

  afterEach(async () => {
    await ctx.closeAll();
  });

  describe('POST /token/revoke as OAuth clients send it', () => {
    it('ends the session of a form-encoded refresh token, ignoring client_id and client_secret', async () => {
      const h = await start();
      const { tokens } = await signedIn(h);
      const body = form({ token: tokens.refreshToken, token_type_hint: 'refresh_token', client_id: 'app', client_secret: 's' });
      const res = await h.request('POST', '/auth/token/revoke', { body, headers: FORM });
      expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: {} });
      await expectRefreshDead(h, tokens.refreshToken);
      await expectAccessDead(h, tokens.accessToken);
    });

    it('ends the session of a form-encoded access token', async () => {
      const h = await start();
      const { tokens } = await signedIn(h);
      const body = form({ token: tokens.accessToken, token_type_hint: 'access_token', client_id: 'app' });
      const res = await h.request('POST', '/auth/token/revoke', { body, headers: FORM });
      expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: {} });
      await expectAccessDead(h, tokens.accessToken);
      await expectRefreshDead(h, tokens.refreshToken);
    });

    it('takes the RFC names in JSON too, and answers 200 for an unknown token', async () => {
      const h = await start();
      const { tokens } = await signedIn(h);
      const unknown = await h.request('POST', '/auth/token/revoke', { body: form({ token: 'garbage', client_id: 'app' }), headers: FORM });
      expect({ status: unknown.status, body: unknown.body as unknown }).toEqual({ status: 200, body: {} });
      const body = { token: tokens.refreshToken, token_type_hint: 'refresh_token', client_id: 'app' };
      const res = await h.request('POST', '/auth/token/revoke', { body });
      expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: {} });
      await expectRefreshDead(h, tokens.refreshToken);
    });

    it('answers a malformed request with an OAuth error body', async () => {
      const h = await start();
      const cases: Array<{ body: string; headers: Record<string, string> }> = [
        { body: form({ token_type_hint: 'refresh_token' }), headers: FORM },
        { body: form({ token: 'a', unknown: 'b' }), headers: FORM },
        { body: 'token=a&token=b', headers: FORM },
        { body: 'token=a', headers: { 'content-type': 'text/plain' } },
        { body: '{"token":', headers: { 'content-type': 'application/json' } },
      ];
      for (const init of cases) expectOAuthError(await h.request('POST', '/auth/token/revoke', init), 400, 'invalid_request');
    });

    it('keeps form bodies to the OAuth routes', async () => {
      const h = await start();
      const { tokens } = await signedIn(h);
      const res = await h.request('POST', '/auth/logout', { body: form({ refreshToken: tokens.refreshToken }), headers: FORM });
      expect(res.status).toBe(400);
      expect((res.body as { error: { code: string } }).error.code).toBe('validation_failed');
    });
  });

  describe('POST /token/introspect (RFC 7662)', () => {
    it('describes an active refresh token and access token to an admin, form-encoded or JSON', async () => {
      const h = await start();
      const admin = await signedInAdmin(h);
      const { email, account, tokens } = await signedIn(h);
      const claims = decodeJwt(tokens.accessToken);
      const refresh = await h.request('POST', '/auth/token/introspect', {
        body: form({ token: tokens.refreshToken, token_type_hint: 'refresh_token', client_id: 'rs' }),
        headers: { ...FORM, ...bearer(admin.accessToken) },
      });
      expect(refresh.status).toBe(200);
      expect(refresh.headers.get('cache-control')).toBe('no-store');
      expect(refresh.body).toEqual({
        active: true,
        sub: account.id,
        grp: 'default',
        sid: claims.sid,
        exp: expect.any(Number),
        iat: claims.iat,
        token_type: 'refresh_token',
        username: email,
      });
      const access = await h.request('POST', '/auth/token/introspect', {
        body: { token: tokens.accessToken },
        headers: bearer(admin.accessToken),
      });
      expect({ status: access.status, body: access.body as unknown }).toEqual({
        status: 200,
        body: {
          active: true,
          sub: account.id,
          grp: 'default',
          sid: claims.sid,
          exp: claims.exp,
          iat: claims.iat,
          token_type: 'access_token',
          username: email,
        },
      });
      // Looking changed nothing: the refresh token still refreshes.
      const refreshed = await h.request('POST', '/auth/token/refresh', { body: { refreshToken: tokens.refreshToken } });
      expect(refreshed.status).toBe(200);
    });

    it('answers { active: false } for rotated, revoked, expired and unknown tokens', async () => {
      const h = await start();
      const admin = await signedInAdmin(h);
      const introspect = async (token: string): Promise<unknown> => {
        const res = await h.request('POST', '/auth/token/introspect', { body: { token }, headers: bearer(admin.accessToken) });
        expect(res.status).toBe(200);
        return res.body;
      };
      const first = (await signedIn(h)).tokens;
      const refreshed = await h.request('POST', '/auth/token/refresh', { body: { refreshToken: first.refreshToken } });
      const second = refreshed.body as Tokens;
      expect(await introspect(first.refreshToken)).toEqual({ active: false });
      expect(await introspect(second.refreshToken)).toMatchObject({ active: true, token_type: 'refresh_token' });
      await h.request('POST', '/auth/token/revoke', { body: { token: second.refreshToken } });
      expect(await introspect(second.refreshToken)).toEqual({ active: false });
      expect(await introspect(second.accessToken)).toEqual({ active: false });
      for (const token of ['garbage', 'a.b.c', 'x'.repeat(43), `${admin.accessToken}x`]) {
        expect(await introspect(token)).toEqual({ active: false });
      }
      const third = (await signedIn(h)).tokens;
      h.clock.advance(h.auth.options.accessTokenTtl + 1);
      // The admin needs a fresh token of its own after the clock moved.
      const adminAgain = await h.request('POST', '/auth/token/refresh', { body: { refreshToken: admin.refreshToken } });
      const res = await h.request('POST', '/auth/token/introspect', {
        body: { token: third.accessToken },
        headers: bearer((adminAgain.body as Tokens).accessToken),
      });
      expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: { active: false } });
    });

    it("answers { active: false } for another group's tokens", async () => {
      const h = await start({ groups: true });
      const acme = uniqueGroup('acme');
      const globex = uniqueGroup('globex');
      await h.auth.createGroup({ id: acme, name: 'Acme' });
      await h.auth.createGroup({ id: globex, name: 'Globex' });
      const admin = await signedInAdmin(h, `/auth/${acme}`, acme);
      const { tokens } = await signedIn(h, `/auth/${globex}`);
      for (const token of [tokens.accessToken, tokens.refreshToken]) {
        const res = await h.request('POST', `/auth/${acme}/token/introspect`, { body: { token }, headers: bearer(admin.accessToken) });
        expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: { active: false } });
      }
      // The admin of one group administers nothing in another.
      const res = await h.request('POST', `/auth/${globex}/token/introspect`, {
        body: { token: tokens.refreshToken },
        headers: bearer(admin.accessToken),
      });
      expectOAuthError(res, 401, 'invalid_token');
    });

    it('refuses callers that are not admins with OAuth errors', async () => {
      const h = await start();
      const { tokens } = await signedIn(h);
      const body = { token: tokens.refreshToken };
      const mine = await h.request('POST', '/auth/token/introspect', { body, headers: bearer(tokens.accessToken) });
      expectOAuthError(mine, 403, 'insufficient_scope');
      expect(mine.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
      for (const headers of [bearer('garbage'), { authorization: `Basic ${btoa('rs:secret')}` }]) {
        const res = await h.request('POST', '/auth/token/introspect', { body, headers });
        expectOAuthError(res, 401, 'invalid_token');
        expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      }
      // No credentials at all: the bare challenge (RFC 6750 §3.1).
      const anonymous = await h.request('POST', '/auth/token/introspect', { body });
      expectOAuthError(anonymous, 401, 'invalid_token');
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('answers a malformed request from an admin with an OAuth error body', async () => {
      const h = await start();
      const admin = await signedInAdmin(h);
      for (const body of [form({}), form({ token: 'a', scope: 'x' }), 'token=a&token=b']) {
        const res = await h.request('POST', '/auth/token/introspect', { body, headers: { ...FORM, ...bearer(admin.accessToken) } });
        expectOAuthError(res, 400, 'invalid_request');
      }
    });
  });
}
