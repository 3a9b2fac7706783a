import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  bearer,
  BEARER_REQUIRED,
  expectError,
  type HttpSuiteContext,
  INVALID_CREDENTIALS,
  loginAccount,
  PASSWORD,
  registerAccount,
  signedIn,
  uniqueEmail,
  UNAUTHENTICATED_TOKEN,
  USER_AGENT,
} from './setup.js';

export function describeLogin(ctx: HttpSuiteContext): void {
  describe('POST /login', () => {
    it('answers 200 with the token response, not cacheable', async () => {
      const h = await ctx.start();
      const { email, account } = await registerAccount(h);
      h.clock.advance(5);
      const res = await h.request('POST', '/auth/login', { body: { email, password: PASSWORD } });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const now = h.clock.now().toISOString();
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43,}$/),
        tokenType: 'Bearer',
        expiresIn: 900,
        account: {
          ...account,
          events: { ...account.events, lastLoginAt: now, updatedAt: expect.any(String) },
          lastLoginDevice: USER_AGENT,
        },
      });
      expect(res.text).not.toContain(PASSWORD);
    });

    it('answers an unknown email, a wrong password and a malformed email identically', async () => {
      const h = await ctx.start();
      const { email } = await registerAccount(h);
      const attempts = [
        { email: uniqueEmail('nobody'), password: PASSWORD },
        { email, password: `${PASSWORD}!` },
        { email: 'not-an-email', password: PASSWORD },
      ];
      for (const body of attempts) {
        expectError(await h.request('POST', '/auth/login', { body }), 401, 'invalid_credentials', INVALID_CREDENTIALS);
      }
    });

    it('issues an EdDSA at+jwt access token with the contract claims, verifiable with the JWKS', async () => {
      const h = await ctx.start();
      const { account, tokens } = await signedIn(h);
      const header = decodeProtectedHeader(tokens.accessToken);
      expect(header).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: expect.any(String) });
      const claims = decodeJwt(tokens.accessToken);
      expect(claims).toMatchObject({ iss: 'latchkey', aud: 'latchkey', sub: account.id, grp: 'default', amr: ['pwd'] });
      expect(claims.sid).toMatch(/^ses_/);
      expect(claims.iat).toBe(Math.floor(h.clock.now().getTime() / 1000));
      expect(claims.exp! - claims.iat!).toBe(900);

      const jwks = await h.request('GET', '/auth/.well-known/jwks.json');
      expect(jwks.status).toBe(200);
      expect(jwks.headers.get('cache-control')).toBe('public, max-age=300');
      const keys = (jwks.body as JSONWebKeySet).keys;
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) });
        expect(key).not.toHaveProperty('d');
      }
      const verified = await jwtVerify(tokens.accessToken, createLocalJWKSet(jwks.body as JSONWebKeySet), {
        issuer: 'latchkey',
        audience: 'latchkey',
        typ: 'at+jwt',
        algorithms: ['EdDSA'],
        currentDate: h.clock.now(),
      });
      expect(verified.payload.sub).toBe(account.id);
    });

    it('throttles failed logins per account: the next attempt is refused even with the right password', async () => {
      const h = await ctx.start({ auth: { throttle: { loginPerClient: { points: 3, durationSeconds: 60 } } } });
      const { email } = await registerAccount(h);
      for (let i = 0; i < 3; i++) {
        const res = await h.request('POST', '/auth/login', { body: { email, password: `wrong password ${i}` } });
        expectError(res, 401, 'invalid_credentials', INVALID_CREDENTIALS);
      }
      const res = await h.request('POST', '/auth/login', { body: { email, password: PASSWORD } });
      expectError(res, 429, 'rate_limited', 'Too many failed attempts. Try again later.');
      const retryAfter = res.headers.get('retry-after');
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    });
  });

  describe('GET /account', () => {
    it('answers the account for a valid access token', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const res = await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual(tokens.account);
    });

    it('answers 401 with WWW-Authenticate: Bearer without a usable bearer token', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      expectError(await h.request('GET', '/auth/account'), 401, 'unauthenticated', BEARER_REQUIRED);
      const basic = { authorization: `Basic ${Buffer.from(`ada:${PASSWORD}`).toString('base64')}` };
      expectError(await h.request('GET', '/auth/account', { headers: basic }), 401, 'unauthenticated', BEARER_REQUIRED);
      for (const token of ['garbage', `${tokens.accessToken}x`, tokens.refreshToken, 'a.b.c']) {
        const res = await h.request('GET', '/auth/account', { headers: bearer(token) });
        expectError(res, 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
      }
    });

    it('rejects an expired access token, while the session can still refresh', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      h.clock.advance(899);
      expect((await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) })).status).toBe(200);
      h.clock.advance(2);
      const res = await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) });
      expectError(res, 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
      const refreshed = await h.request('POST', '/auth/token/refresh', { body: { refreshToken: tokens.refreshToken } });
      expect(refreshed.status, refreshed.text).toBe(200);
      const again = await h.request('GET', '/auth/account', { headers: bearer(refreshed.body.accessToken) });
      expect(again.status).toBe(200);
    });

    it('honours accessTokenTtl', async () => {
      const h = await ctx.start({ auth: { accessTokenTtl: 60 } });
      const { email, password } = await registerAccount(h);
      const tokens = await loginAccount(h, email, password);
      expect(tokens.expiresIn).toBe(60);
      const claims = decodeJwt(tokens.accessToken);
      expect(claims.exp! - claims.iat!).toBe(60);
      h.clock.advance(61);
      const res = await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) });
      expectError(res, 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
    });
  });
}
