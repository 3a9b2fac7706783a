import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { RateLimitDecision, RateLimitRule } from '../ports.js';

/** The counters of failed logins: one per (group, email) and one per IP address. */
export interface LoginThrottle {
  /**
   * Lets an attempt in, or refuses it. The attempt is counted against the account and the IP address
   * *now*, before any password work, so that many concurrent guesses cannot all pass a check made
   * before the first of them failed; a correct password then takes its count back ({@link succeed}),
   * so the counters count failures.
   *
   * @throws AuthError `rate_limited` with `retryAfter` when either counter is exhausted
   */
  admit(): Promise<void>;
  /** Clears the account's counter and gives the IP address its hit back after a correct password. */
  succeed(): Promise<void>;
}

export function loginThrottle(ctx: AuthContext, group: string, email: string, ip: string | null | undefined): LoginThrottle {
  const { loginPerAccount, loginPerIp } = ctx.options.throttle;
  const account: [RateLimitRule, string] = [{ name: 'login-account', ...loginPerAccount }, `${group}:${email}`];
  const address: [RateLimitRule, string] | null = ip ? [{ name: 'login-ip', ...loginPerIp }, ip] : null;

  const enforce = (decision: RateLimitDecision): void => {
    if (decision.allowed) return;
    const retryAfter = Math.max(1, decision.retryAfter);
    throw new AuthError('rate_limited', 'Too many failed attempts. Try again later.', { retryAfter });
  };

  return {
    async admit() {
      if (address) enforce(await ctx.rateLimiter.hit(...address));
      enforce(await ctx.rateLimiter.hit(...account));
    },
    async succeed() {
      await ctx.rateLimiter.reset(...account);
      if (address) await ctx.rateLimiter.refund(...address);
    },
  };
}
