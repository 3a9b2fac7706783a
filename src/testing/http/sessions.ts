import { describe, expect, it } from 'vitest';
import {
  bearer,
  expectAccessDead,
  expectError,
  expectRefreshDead,
  type HttpSuiteContext,
  loginAccount,
  sessionOf,
  signedIn,
  USER_AGENT,
} from './setup.js';

export function describeSessions(ctx: HttpSuiteContext): void {
  describe('GET /account/sessions', () => {
    it('lists the live sessions, newest first, marking the caller’s as current', async () => {
      const h = await ctx.start();
      const { email, password, tokens: first } = await signedIn(h);
      const loginTime = h.clock.now().toISOString();
      h.clock.advance(10);
      const second = await loginAccount(h, email, password);
      const secondTime = h.clock.now().toISOString();
      const ended = await loginAccount(h, email, password);
      await h.request('POST', '/auth/logout', { body: { refreshToken: ended.refreshToken } });

      const res = await h.request('GET', '/auth/account/sessions', { headers: bearer(first.accessToken) });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const session = (id: string, at: string, current: boolean) => ({
        id,
        createdAt: at,
        lastUsedAt: at,
        ip: expect.toSatisfy((ip: unknown) => ip === null || typeof ip === 'string'),
        userAgent: USER_AGENT,
        current,
      });
      expect(res.body).toEqual({
        data: [
          session(sessionOf(second.accessToken), secondTime, false),
          session(sessionOf(first.accessToken), loginTime, true),
        ],
        nextCursor: null,
      });
    });

    it('shows only the caller’s own sessions', async () => {
      const h = await ctx.start();
      const ada = await signedIn(h);
      await signedIn(h);
      const res = await h.request('GET', '/auth/account/sessions', { headers: bearer(ada.tokens.accessToken) });
      expect(res.body.data.map((s: { id: string }) => s.id)).toEqual([sessionOf(ada.tokens.accessToken)]);
    });
  });

  describe('DELETE /account/sessions/{id}', () => {
    it('ends another session of the caller', async () => {
      const h = await ctx.start();
      const { email, password, tokens: mine } = await signedIn(h);
      const phone = await loginAccount(h, email, password);
      const res = await h.request('DELETE', `/auth/account/sessions/${sessionOf(phone.accessToken)}`, {
        headers: bearer(mine.accessToken),
      });
      expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
      await expectAccessDead(h, phone.accessToken);
      await expectRefreshDead(h, phone.refreshToken);
      expect((await h.request('GET', '/auth/account', { headers: bearer(mine.accessToken) })).status).toBe(200);
      const again = await h.request('DELETE', `/auth/account/sessions/${sessionOf(phone.accessToken)}`, {
        headers: bearer(mine.accessToken),
      });
      expectError(again, 404, 'not_found', 'No such session.');
    });

    it('ends the caller’s own current session', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const res = await h.request('DELETE', `/auth/account/sessions/${sessionOf(tokens.accessToken)}`, {
        headers: bearer(tokens.accessToken),
      });
      expect(res.status).toBe(204);
      await expectAccessDead(h, tokens.accessToken);
      await expectRefreshDead(h, tokens.refreshToken);
    });

    it('answers 404 for another account’s session and for an unknown id, leaving them alone', async () => {
      const h = await ctx.start();
      const ada = await signedIn(h);
      const eve = await signedIn(h);
      for (const id of [sessionOf(eve.tokens.accessToken), 'ses_01J00000000000000000000000', 'nope']) {
        const res = await h.request('DELETE', `/auth/account/sessions/${id}`, {
          headers: bearer(ada.tokens.accessToken),
        });
        expectError(res, 404, 'not_found', 'No such session.');
      }
      expect((await h.request('GET', '/auth/account', { headers: bearer(eve.tokens.accessToken) })).status).toBe(200);
    });

    it('needs a bearer token', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const res = await h.request('DELETE', `/auth/account/sessions/${sessionOf(tokens.accessToken)}`);
      expectError(res, 401, 'unauthenticated', 'A bearer access token is required.');
      expect((await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) })).status).toBe(200);
    });
  });

  describe('DELETE /account/sessions', () => {
    it('ends every other session and keeps the current one', async () => {
      const h = await ctx.start();
      const { email, password, tokens: mine } = await signedIn(h);
      const others = [await loginAccount(h, email, password), await loginAccount(h, email, password)];
      const bystander = await signedIn(h);
      const res = await h.request('DELETE', '/auth/account/sessions', { headers: bearer(mine.accessToken) });
      expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
      for (const other of others) {
        await expectAccessDead(h, other.accessToken);
        await expectRefreshDead(h, other.refreshToken);
      }
      expect((await h.request('GET', '/auth/account', { headers: bearer(mine.accessToken) })).status).toBe(200);
      const refreshed = await h.request('POST', '/auth/token/refresh', { body: { refreshToken: mine.refreshToken } });
      expect(refreshed.status).toBe(200);
      // Another account's sessions are untouched.
      const bystanderMe = await h.request('GET', '/auth/account', { headers: bearer(bystander.tokens.accessToken) });
      expect(bystanderMe.status).toBe(200);
    });
  });
}
