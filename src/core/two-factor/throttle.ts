import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { RateLimitDecision, RateLimitRule } from '../ports.js';

/**
 * Wrong second-factor proofs (TOTP codes, recovery codes) per account: 5 per 15 minutes. One counter
 * per account, shared by every place a code is entered (login's second step, step-up for sensitive
 * changes), so that spreading guesses over several routes buys an attacker nothing. A 6-digit code has
 * 10^6 values and ±1 step makes three of them valid at once: 5 guesses per 15 minutes keep the odds of a
 * lucky guess below 1 in 10^5 per day.
 */
export const SECOND_FACTOR_RULE: Readonly<RateLimitRule> = Object.freeze({
  name: '2fa-account',
  points: 5,
  durationSeconds: 15 * 60,
});

/** The counters of one account's second-factor proofs. */
export interface SecondFactorThrottle {
  /**
   * Refuses without counting when the account has no attempt left (to answer early, before any work).
   *
   * @throws AuthError `rate_limited` with `retryAfter`
   */
  check(): Promise<void>;
  /**
   * Counts an attempt *now*, before the code is checked, so that concurrent guesses cannot all pass a
   * check made before the first of them failed; a correct proof then clears the counter
   * ({@link succeed}), so the counter counts failures.
   *
   * @throws AuthError `rate_limited` with `retryAfter` when the account is out of attempts
   */
  admit(): Promise<void>;
  /** Forgets the account's failures after a correct proof. */
  succeed(): Promise<void>;
}

/**
 * The second-factor throttle of one account (keyed by group and account id, not by email, so that an
 * email change does not reset it).
 *
 * @example
 * ```ts
 * const throttle = secondFactorThrottle(ctx, account.group, account.id)
 * await throttle.admit()
 * if (!(await verifyTotpCode(ctx, account, code))) throw new AuthError('invalid_two_factor', '...')
 * await throttle.succeed()
 * ```
 */
export function secondFactorThrottle(ctx: AuthContext, group: string, accountId: string): SecondFactorThrottle {
  const key = `${group}:${accountId}`;
  return {
    async check() {
      enforce(await ctx.rateLimiter.check(SECOND_FACTOR_RULE, key));
    },
    async admit() {
      enforce(await ctx.rateLimiter.hit(SECOND_FACTOR_RULE, key));
    },
    async succeed() {
      await ctx.rateLimiter.reset(SECOND_FACTOR_RULE, key);
    },
  };
}

function enforce(decision: RateLimitDecision): void {
  if (decision.allowed) return;
  const retryAfter = Math.max(1, decision.retryAfter);
  throw new AuthError('rate_limited', 'Too many failed attempts. Try again later.', { retryAfter });
}
