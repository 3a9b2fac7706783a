/** The self-service tests of `GET /account/logins`: the owner's login history, page by page. */

import { describe, expect, it } from 'vitest';
import {
  bearer,
  expectError,
  type Harness,
  type HttpSuiteContext,
  INVALID_CREDENTIALS,
  loginAccount,
  signedIn,
  USER_AGENT,
} from './setup.js';

const INVALID_QUERY = 'The query string is not valid.';

/** Registers the `GET /account/logins` tests, inside `describeAccountSelfService`. */
export function describeAccountLogins(ctx: HttpSuiteContext): void {
  describe('GET /account/logins', () => {
    /** Success, failure, success, ten seconds apart; returns the three times, oldest first. */
    async function history(h: Harness) {
      const { email, password, tokens } = await signedIn(h);
      const times = [h.clock.now().toISOString()];
      h.clock.advance(10);
      const failed = await h.request('POST', '/auth/login', { body: { email, password: `${password}!` } });
      expectError(failed, 401, 'invalid_credentials', INVALID_CREDENTIALS);
      times.push(h.clock.now().toISOString());
      h.clock.advance(10);
      await loginAccount(h, email, password);
      times.push(h.clock.now().toISOString());
      return { tokens, times };
    }

    it('lists the attempts newest first, failures included', async () => {
      const h = await ctx.start();
      const { tokens, times } = await history(h);
      const res = await h.request('GET', '/auth/account/logins', { headers: bearer(tokens.accessToken) });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const login = (time: string, failureReason: string | null) => ({
        id: expect.any(String),
        time,
        ip: expect.toSatisfy((ip: unknown) => ip === null || typeof ip === 'string'),
        userAgent: USER_AGENT,
        success: failureReason === null,
        method: 'password',
        failureReason,
      });
      expect(res.body).toEqual({
        data: [login(times[2]!, null), login(times[1]!, 'invalid_credentials'), login(times[0]!, null)],
        nextCursor: null,
      });
    });

    it('paginates with limit and cursor', async () => {
      const h = await ctx.start();
      const { tokens } = await history(h);
      const all = await h.request('GET', '/auth/account/logins', { headers: bearer(tokens.accessToken) });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
        const page = await h.request('GET', `/auth/account/logins?limit=1${query}`, {
          headers: bearer(tokens.accessToken),
        });
        expect(page.status, page.text).toBe(200);
        expect(page.body.data).toHaveLength(1);
        seen.push(page.body.data[0].id);
        cursor = page.body.nextCursor;
        expect(seen.length).toBeLessThanOrEqual(3);
      } while (cursor !== null);
      expect(seen).toEqual(all.body.data.map((l: { id: string }) => l.id));
    });

    it('refuses a bad limit, an unknown parameter and a malformed cursor', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const get = (query: string) =>
        h.request('GET', `/auth/account/logins?${query}`, { headers: bearer(tokens.accessToken) });
      const cases: [string, string, string][] = [
        ['limit=0', 'limit', 'Too small: expected number to be >=1'],
        ['limit=abc', 'limit', 'Invalid input: expected number, received NaN'],
        ['limit=101', 'limit', 'Too big: expected number to be <=100'],
        ['limit=1.5', 'limit', 'Invalid input: expected int, received number'],
        ['page=2', 'page', 'is not a known field'],
      ];
      for (const [query, path, message] of cases) {
        expectError(await get(query), 400, 'validation_failed', INVALID_QUERY, [{ path, message }]);
      }
      // The storage under test words its own refusal; only the code is the contract's.
      const cursor = await get('cursor=not-a-cursor');
      expect({ status: cursor.status, code: cursor.body.error.code }).toEqual({
        status: 400,
        code: 'validation_failed',
      });
    });
  });
}
