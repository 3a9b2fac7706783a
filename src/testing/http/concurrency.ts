import { describe, expect, it } from 'vitest';
import {
  expectNoLeak,
  type HttpSuiteContext,
  REFRESH_REUSED,
  signedIn,
  uniqueEmail,
  UNKNOWN_REFRESH,
} from './setup.js';

const CALLERS = 20;

export function describeConcurrency(ctx: HttpSuiteContext): void {
  describe('concurrent requests', () => {
    it(`of ${CALLERS} parallel refreshes with one token, exactly one succeeds`, async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const results = await Promise.all(
        Array.from({ length: CALLERS }, () =>
          h.request('POST', '/auth/token/refresh', { body: { refreshToken: tokens.refreshToken } }),
        ),
      );
      const winners = results.filter((res) => res.status === 200);
      expect(winners, 'exactly one refresh succeeds').toHaveLength(1);
      for (const res of results.filter((r) => r.status !== 200)) {
        expectNoLeak(res);
        // A loser either saw the token already rotated (reuse) or found its session just revoked by another loser.
        expect([
          { error: { code: 'refresh_token_reused', message: REFRESH_REUSED } },
          { error: { code: 'unauthenticated', message: UNKNOWN_REFRESH } },
        ]).toContainEqual(res.body);
        expect(res.status).toBe(401);
      }
    });

    it(`of ${CALLERS} parallel registrations of one email, all answer 201 and exactly one password works`, async () => {
      const h = await ctx.start({ auth: { throttle: { loginPerClient: { points: 1000, durationSeconds: 60 } } } });
      const email = uniqueEmail();
      const passwords = Array.from({ length: CALLERS }, (_, i) => `parallel passphrase number ${i}`);
      const results = await Promise.all(
        passwords.map((password) => h.request('POST', '/auth/accounts', { body: { email, password } })),
      );
      expect(results.map((res) => res.status)).toEqual(passwords.map(() => 201));
      expect(new Set(results.map((res) => res.body.id as string)).size).toBe(CALLERS);
      const logins = [];
      for (const password of passwords) {
        logins.push((await h.request('POST', '/auth/login', { body: { email, password } })).status);
      }
      expect(logins.filter((status) => status === 200)).toHaveLength(1);
      expect(logins.filter((status) => status === 401)).toHaveLength(CALLERS - 1);
      const winner = logins.indexOf(200);
      const account = await h.request('POST', '/auth/login', { body: { email, password: passwords[winner] } });
      expect(results.map((res) => res.body.id)).toContain(account.body.account.id);
    });
  });
}
