import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { RateLimitDecision, RateLimitRule } from '../ports.js';

/**
 * Wrong second-factor proofs (TOTP codes, recovery codes) per account: 5 per 15 minutes, and at most
 * {@link SECOND_FACTOR_DAILY_RULE} (20) per 24 hours. One pair of counters per account, shared by every
 * place a code is entered (login's second step, step-up for sensitive changes, unlock), so that
 * spreading guesses over several routes buys an attacker nothing.
 *
 * The arithmetic: a 6-digit code has 10^6 values and ±1 step makes three of them valid at once, so one
 * guess wins with p = 3 × 10^-6. The 15-minute rule alone still allows 96 × 5 = 480 guesses a day:
 * about 1.4 × 10^-3, 1 in 700 per day and roughly 40% over a year of steady guessing. The daily cap
 * bounds it at 20 × 3 × 10^-6 = 6 × 10^-5 per day (1 in about 16,700), about 2% a year. The 15-minute
 * rule keeps bursts short; the daily one bounds the total.
 */
export const SECOND_FACTOR_RULE: Readonly<RateLimitRule> = Object.freeze({
  name: '2fa-account',
  points: 5,
  durationSeconds: 15 * 60,
});

/**
 * The daily cap beside {@link SECOND_FACTOR_RULE}: 20 wrong proofs per 24 hours per account. A correct
 * proof clears the 15-minute counter but only takes back its own attempt here: an owner's successful
 * sign-ins must not hand an attacker who knows the password a fresh day of guesses.
 */
export const SECOND_FACTOR_DAILY_RULE: Readonly<RateLimitRule> = Object.freeze({
  name: '2fa-account-day',
  points: 20,
  durationSeconds: 24 * 60 * 60,
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
   * Counts an attempt *now*, against both rules, before the code is checked, so that concurrent guesses
   * cannot all pass a check made before the first of them failed; a correct proof then takes it back
   * ({@link succeed}), so the counters count failures. An attempt the 15-minute rule refuses is not
   * counted for the day.
   *
   * @throws AuthError `rate_limited` with `retryAfter` when the account is out of attempts
   */
  admit(): Promise<void>;
  /**
   * After a correct proof: forgets the 15-minute failures, and gives back this attempt's daily count
   * (earlier failures of the day still count).
   */
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
  return keyedSecondFactorThrottle(ctx, `${group}:${accountId}`);
}

/**
 * The same two rules under any key: `unlockAccount` counts an email without a panic-locked account
 * with it, so both run out after the same attempts and answer alike. Internal.
 */
export function keyedSecondFactorThrottle(ctx: AuthContext, key: string): SecondFactorThrottle {
  return {
    async check() {
      enforce(await ctx.rateLimiter.check(SECOND_FACTOR_DAILY_RULE, key));
      enforce(await ctx.rateLimiter.check(SECOND_FACTOR_RULE, key));
    },
    async admit() {
      enforce(await ctx.rateLimiter.hit(SECOND_FACTOR_DAILY_RULE, key));
      const burst = await ctx.rateLimiter.hit(SECOND_FACTOR_RULE, key);
      if (!burst.allowed) await ctx.rateLimiter.refund(SECOND_FACTOR_DAILY_RULE, key);
      enforce(burst);
    },
    async succeed() {
      await ctx.rateLimiter.reset(SECOND_FACTOR_RULE, key);
      await ctx.rateLimiter.refund(SECOND_FACTOR_DAILY_RULE, key);
    },
  };
}

function enforce(decision: RateLimitDecision): void {
  if (decision.allowed) return;
  const retryAfter = Math.max(1, decision.retryAfter);
  throw new AuthError('rate_limited', 'Too many failed attempts. Try again later.', { retryAfter });
}
