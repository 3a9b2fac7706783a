import { describe, expect, it } from 'vitest';
import {
  bearer,
  expectAccessDead,
  expectError,
  expectRefreshDead,
  type Harness,
  type HttpSuiteContext,
  REFRESH_REUSED,
  sessionOf,
  signedIn,
  type Tokens,
  UNKNOWN_REFRESH,
} from './setup.js';

const STALE = 'This refresh token was just used; use the newest one.';

function refresh(h: Harness, refreshToken: string) {
  return h.request('POST', '/auth/token/refresh', { body: { refreshToken } });
}

async function refreshOk(h: Harness, refreshToken: string): Promise<Tokens> {
  const res = await refresh(h, refreshToken);
  expect(res.status, res.text).toBe(200);
  return res.body as Tokens;
}

export function describeRefresh(ctx: HttpSuiteContext): void {
  describe('POST /token/refresh', () => {
    it('rotates: new tokens for the same session, the old refresh token is spent', async () => {
      const h = await ctx.start();
      const { account, tokens } = await signedIn(h);
      h.clock.advance(30);
      const res = await refresh(h, tokens.refreshToken);
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43,}$/),
        tokenType: 'Bearer',
        expiresIn: 900,
        account: expect.objectContaining({ id: account.id }),
      });
      expect(res.body.refreshToken).not.toBe(tokens.refreshToken);
      expect(res.body.accessToken).not.toBe(tokens.accessToken);
      expect(sessionOf(res.body.accessToken)).toBe(sessionOf(tokens.accessToken));
      const me = await h.request('GET', '/auth/account', { headers: bearer(res.body.accessToken) });
      expect(me.status).toBe(200);
    });

    it('revokes the whole session when a rotated token is replayed', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const second = await refreshOk(h, tokens.refreshToken);
      const third = await refreshOk(h, second.refreshToken);

      expectError(await refresh(h, tokens.refreshToken), 401, 'refresh_token_reused', REFRESH_REUSED);
      await expectRefreshDead(h, third.refreshToken);
      await expectAccessDead(h, third.accessToken);
      await expectAccessDead(h, tokens.accessToken);
      // A second replay is still reuse, and still nothing comes back to life.
      expectError(await refresh(h, second.refreshToken), 401, 'refresh_token_reused', REFRESH_REUSED);
    });

    it('answers 401 unauthenticated for an unknown refresh token', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      for (const refreshToken of ['x'.repeat(43), tokens.accessToken, `${tokens.refreshToken}A`]) {
        expectError(await refresh(h, refreshToken), 401, 'unauthenticated', UNKNOWN_REFRESH);
      }
      await refreshOk(h, tokens.refreshToken);
    });

    it('with a reuse grace, a replay inside it is stale and revokes nothing', async () => {
      const h = await ctx.start({ auth: { refreshTokenReuseGrace: 10 } });
      const { tokens } = await signedIn(h);
      const second = await refreshOk(h, tokens.refreshToken);
      h.clock.advance(5);
      expectError(await refresh(h, tokens.refreshToken), 401, 'refresh_token_stale', STALE);
      const me = await h.request('GET', '/auth/account', { headers: bearer(second.accessToken) });
      expect(me.status).toBe(200);
      await refreshOk(h, second.refreshToken);
    });

    it('with a reuse grace, a replay after it is reuse and revokes the session', async () => {
      const h = await ctx.start({ auth: { refreshTokenReuseGrace: 10 } });
      const { tokens } = await signedIn(h);
      const second = await refreshOk(h, tokens.refreshToken);
      h.clock.advance(11);
      expectError(await refresh(h, tokens.refreshToken), 401, 'refresh_token_reused', REFRESH_REUSED);
      await expectRefreshDead(h, second.refreshToken);
      await expectAccessDead(h, second.accessToken);
    });

    it('ends a session left unused for the idle timeout', async () => {
      const h = await ctx.start({ auth: { session: { idleTimeout: 120, absoluteTimeout: 3600 } } });
      const { tokens } = await signedIn(h);
      h.clock.advance(100);
      const second = await refreshOk(h, tokens.refreshToken);
      h.clock.advance(100);
      const third = await refreshOk(h, second.refreshToken); // 200 s after login, but used 100 s ago
      h.clock.advance(121);
      await expectRefreshDead(h, third.refreshToken);
    });

    it('ends a session at the absolute timeout however often it is used', async () => {
      const h = await ctx.start({ auth: { session: { idleTimeout: 120, absoluteTimeout: 300 } } });
      const { tokens } = await signedIn(h);
      let current = tokens;
      for (let i = 0; i < 3; i++) {
        h.clock.advance(99);
        current = await refreshOk(h, current.refreshToken); // at 99, 198, 297 s
      }
      h.clock.advance(4);
      await expectRefreshDead(h, current.refreshToken);
      await expectAccessDead(h, current.accessToken);
    });
  });
}
