import { describe, expect, it } from 'vitest';
import type { TestResponse } from '../http-client.js';
import { bearer, type HttpSuiteContext, signedIn } from './setup.js';

/** Asserts the security headers every answer carries, with the cache policy it should have. */
function expectSecurityHeaders(res: TestResponse, cacheControl = 'no-store'): void {
  const headers = {
    nosniff: res.headers.get('x-content-type-options'),
    referrer: res.headers.get('referrer-policy'),
    cache: res.headers.get('cache-control'),
  };
  expect(headers, `the ${res.status} answer`).toEqual({ nosniff: 'nosniff', referrer: 'no-referrer', cache: cacheControl });
}

export function describeHygiene(ctx: HttpSuiteContext): void {
  describe('security headers', () => {
    it('are on every success, never cacheable', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const answers = [
        await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) }),
        await h.request('POST', '/auth/token/refresh', { body: { refreshToken: tokens.refreshToken } }),
        await h.request('POST', '/auth/logout', { body: { refreshToken: 'x'.repeat(43) } }),
      ];
      expect(answers.map((res) => res.status)).toEqual([200, 200, 204]);
      for (const res of answers) expectSecurityHeaders(res);
    });

    it('are on every error: 400, 401, 404, 405 and 413', async () => {
      const h = await ctx.start();
      const json = { 'content-type': 'application/json' };
      const answers = [
        await h.request('POST', '/auth/login', { body: '{', headers: json }),
        await h.request('GET', '/auth/account'),
        await h.request('GET', '/auth/nope'),
        await h.request('DELETE', '/auth/login'),
        await h.request('POST', '/auth/login', { body: JSON.stringify({ email: 'a'.repeat(70_000) }), headers: json }),
      ];
      expect(answers.map((res) => res.status)).toEqual([400, 401, 404, 405, 413]);
      for (const res of answers) expectSecurityHeaders(res);
    });

    it('leave the JWKS its public cache policy', async () => {
      const h = await ctx.start();
      const res = await h.request('GET', '/auth/.well-known/jwks.json');
      expect(res.status).toBe(200);
      expectSecurityHeaders(res, 'public, max-age=300');
    });
  });
}
