import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { RateLimitRule } from '../ports.js';

/** The counters of failed logins: one per (group, email) and one per IP address. */
export interface LoginThrottle {
  /** @throws AuthError `rate_limited` with `retryAfter` when either counter is exhausted */
  assertAllowed(): Promise<void>;
  /** Counts a failure against both counters. */
  fail(): Promise<void>;
  /** Clears the account's counter after a success (the IP's keeps counting other accounts). */
  succeed(): Promise<void>;
}

export function loginThrottle(ctx: AuthContext, group: string, email: string, ip: string | null | undefined): LoginThrottle {
  const { loginPerAccount, loginPerIp } = ctx.options.throttle;
  const counters: [RateLimitRule, string][] = [[{ name: 'login-account', ...loginPerAccount }, `${group}:${email}`]];
  if (ip) counters.push([{ name: 'login-ip', ...loginPerIp }, ip]);
  const account = counters[0]!;

  return {
    async assertAllowed() {
      const decisions = await Promise.all(counters.map(([rule, key]) => ctx.rateLimiter.check(rule, key)));
      const refused = decisions.filter((d) => !d.allowed);
      if (refused.length > 0) {
        const retryAfter = Math.max(1, ...refused.map((d) => d.retryAfter));
        throw new AuthError('rate_limited', 'Too many failed attempts. Try again later.', { retryAfter });
      }
    },
    async fail() {
      await Promise.all(counters.map(([rule, key]) => ctx.rateLimiter.hit(rule, key)));
    },
    async succeed() {
      await ctx.rateLimiter.reset(account[0], account[1]);
    },
  };
}
