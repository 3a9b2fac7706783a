import type { AuthContext } from '../../context.js';
import { isAuthError } from '../../errors.js';
import { clientKeyOf, UNKNOWN_CLIENT } from '../../limits/client-limit.js';
import { enforce } from '../../limits/enforce.js';
import { isKnownClient } from '../../limits/known-client.js';
import type { AccountRecord, RateLimitRule } from '../../ports.js';

/**
 * Wrong second-factor proofs (TOTP codes, recovery codes, email/SMS codes) per account: 5 per 15
 * minutes, and at most {@link SECOND_FACTOR_DAILY_RULE} (20) per 24 hours. One pair of counters per
 * account, shared by every place a code is entered (login's second step, factor changes, unlock), so
 * that spreading guesses over several routes buys an attacker nothing.
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

/** The same two budgets again, per (account, client): what one address may spend on its own. */
const CLIENT_RULES: readonly [RateLimitRule, RateLimitRule] = [
  Object.freeze({ ...SECOND_FACTOR_DAILY_RULE, name: '2fa-client-day' }),
  Object.freeze({ ...SECOND_FACTOR_RULE, name: '2fa-client' }),
];
const ACCOUNT_RULES: readonly [RateLimitRule, RateLimitRule] = [SECOND_FACTOR_DAILY_RULE, SECOND_FACTOR_RULE];

/** The counters of one account's second-factor proofs. */
export interface SecondFactorThrottle {
  /**
   * Refuses without counting when no attempt is left (to answer early, before any work).
   *
   * @throws AuthError `rate_limited` with `retryAfter`
   */
  check(): Promise<void>;
  /**
   * Counts an attempt *now*, before the code is checked, so that concurrent guesses cannot all pass a
   * check made before the first of them failed; a correct proof then takes it back ({@link succeed}),
   * so the counters count failures. An attempt the 15-minute rule refuses is not counted for the day.
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
 * The second-factor throttle of one account and client. Every client has its own budget for the
 * account (5 per 15 minutes, 20 a day); clients that have not signed in to the account since its last
 * password change also share the account's budget (the same numbers), which bounds what any number of
 * strangers can guess together. The owner's own clients (see `isKnownClient`) are not held by the
 * shared budget, so someone who knows the password cannot lock the owner out of the second step.
 * Keyed by group and account id, not by email, so an email change does not reset it.
 *
 * @example
 * ```ts
 * const throttle = secondFactorThrottle(ctx, account, input.ip)
 * await throttle.admit()
 * if (!(await verifyTotpCode(ctx, account, code))) throw new AuthError('invalid_two_factor', '...')
 * await throttle.succeed()
 * ```
 */
export function secondFactorThrottle(
  ctx: AuthContext,
  account: AccountRecord,
  ip?: string | null | undefined,
): SecondFactorThrottle {
  const key = `${account.group}:${account.id}`;
  const own = keyedSecondFactorThrottle(ctx, `${key}:${clientKeyOf(ctx, ip) ?? UNKNOWN_CLIENT}`, CLIENT_RULES);
  const shared = keyedSecondFactorThrottle(ctx, key, ACCOUNT_RULES);
  let sharedCounted = false;
  /** A refusal of the shared budget stands unless the caller is one of the owner's clients. */
  const unlessKnown = async (error: unknown): Promise<void> => {
    if (!isAuthError(error, 'rate_limited') || !(await isKnownClient(ctx, account, ip))) throw error;
  };

  return {
    async check() {
      await own.check();
      await shared.check().catch(unlessKnown);
    },
    async admit() {
      await own.admit();
      try {
        await shared.admit();
        sharedCounted = true;
      } catch (error) {
        await unlessKnown(error).catch(async (refusal: unknown) => {
          await own.cancel();
          throw refusal;
        });
      }
    },
    async succeed() {
      await own.succeed();
      if (sharedCounted) await shared.succeed();
    },
  };
}

/** A {@link SecondFactorThrottle} over any key, plus taking back an attempt that was never made. */
export interface KeyedSecondFactorThrottle extends SecondFactorThrottle {
  /** Gives back both counts of an admitted attempt that was refused before any code was checked. */
  cancel(): Promise<void>;
}

/**
 * The two rules (daily, then 15-minute) under any key: `unlockAccount` counts an email without a
 * panic-locked account with it, so both run out after the same attempts and answer alike. Internal.
 */
export function keyedSecondFactorThrottle(
  ctx: AuthContext,
  key: string,
  [daily, burst]: readonly [RateLimitRule, RateLimitRule] = ACCOUNT_RULES,
): KeyedSecondFactorThrottle {
  return {
    async check() {
      enforce(await ctx.rateLimiter.check(daily, key));
      enforce(await ctx.rateLimiter.check(burst, key));
    },
    async admit() {
      enforce(await ctx.rateLimiter.hit(daily, key));
      const decision = await ctx.rateLimiter.hit(burst, key);
      if (!decision.allowed) await ctx.rateLimiter.refund(daily, key);
      enforce(decision);
    },
    async succeed() {
      await ctx.rateLimiter.reset(burst, key);
      await ctx.rateLimiter.refund(daily, key);
    },
    async cancel() {
      await ctx.rateLimiter.refund(burst, key);
      await ctx.rateLimiter.refund(daily, key);
    },
  };
}
