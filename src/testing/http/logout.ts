import { describe, expect, it } from 'vitest';
import type { TestResponse } from '../http-client.js';
import {
  bearer,
  expectAccessDead,
  expectRefreshDead,
  type HttpSuiteContext,
  loginAccount,
  signedIn,
} from './setup.js';

function expectEmpty(res: TestResponse, status: number): void {
  expect({ status: res.status, text: res.text }).toEqual({ status, text: '' });
}

export function describeLogout(ctx: HttpSuiteContext): void {
  describe('POST /logout', () => {
    it('answers 204 with no body and ends that session only', async () => {
      const h = await ctx.start();
      const { email, password, tokens } = await signedIn(h);
      const other = await loginAccount(h, email, password);
      const res = await h.request('POST', '/auth/logout', { body: { refreshToken: tokens.refreshToken } });
      expectEmpty(res, 204);
      await expectRefreshDead(h, tokens.refreshToken);
      await expectAccessDead(h, tokens.accessToken);
      const stillIn = await h.request('GET', '/auth/account', { headers: bearer(other.accessToken) });
      expect(stillIn.status).toBe(200);
    });

    it('answers 204 for an unknown or already used token, revealing nothing', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      expectEmpty(await h.request('POST', '/auth/logout', { body: { refreshToken: 'x'.repeat(43) } }), 204);
      expectEmpty(await h.request('POST', '/auth/logout', { body: { refreshToken: tokens.refreshToken } }), 204);
      expectEmpty(await h.request('POST', '/auth/logout', { body: { refreshToken: tokens.refreshToken } }), 204);
    });
  });

  describe('POST /token/revoke (RFC 7009)', () => {
    it('ends the session of a refresh token', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const res = await h.request('POST', '/auth/token/revoke', {
        body: { token: tokens.refreshToken, tokenTypeHint: 'refresh_token' },
      });
      expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: {} });
      expect(res.headers.get('cache-control')).toBe('no-store');
      await expectRefreshDead(h, tokens.refreshToken);
      await expectAccessDead(h, tokens.accessToken);
    });

    it('ends the session of an access token', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const res = await h.request('POST', '/auth/token/revoke', { body: { token: tokens.accessToken } });
      expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: {} });
      await expectAccessDead(h, tokens.accessToken);
      await expectRefreshDead(h, tokens.refreshToken);
    });

    it('answers 200 for garbage and for a token already revoked', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      for (const token of ['garbage', 'a.b.c', `${tokens.accessToken}x`, 'x'.repeat(43)]) {
        const res = await h.request('POST', '/auth/token/revoke', { body: { token } });
        expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: {} });
      }
      // None of that touched the real session.
      expect((await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) })).status).toBe(200);
      await h.request('POST', '/auth/token/revoke', { body: { token: tokens.refreshToken } });
      const again = await h.request('POST', '/auth/token/revoke', { body: { token: tokens.refreshToken } });
      expect({ status: again.status, body: again.body as unknown }).toEqual({ status: 200, body: {} });
    });
  });
}
