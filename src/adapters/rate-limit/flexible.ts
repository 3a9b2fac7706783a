import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from '../../core/ports.js';

/**
 * Builds a rate-limiter-flexible limiter for one rule. `keyPrefix` is unique per rule; pass it on to limiters
 * whose store is shared (Redis, a database) so that rules do not count into each other.
 */
export type CreateFlexibleLimiter = (rule: RateLimitRule, keyPrefix: string) => RateLimiterAbstract;

const ALLOWED: RateLimitDecision = { allowed: true, retryAfter: 0 };

/** Seconds until the window resets, at least 1 (a key with no expiry reports -1 ms). */
function refused(msBeforeNext: number): RateLimitDecision {
  return { allowed: false, retryAfter: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}

/** rate-limiter-flexible rejects with a `RateLimiterRes` when the limit is reached, with an Error otherwise. */
function isLimiterRes(value: unknown): value is { msBeforeNext: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as { msBeforeNext?: unknown }).msBeforeNext === 'number'
  );
}

/**
 * A {@link RateLimiter} on top of any `rate-limiter-flexible` limiter: one limiter per rule (by name,
 * points and duration), created on first use. Store errors propagate.
 *
 * @example
 * ```ts
 * import { RateLimiterRedis } from 'rate-limiter-flexible';
 * const limiter = flexibleRateLimiter(
 *   (rule, keyPrefix) =>
 *     new RateLimiterRedis({ storeClient: redis, keyPrefix, points: rule.points, duration: rule.durationSeconds }),
 * );
 * ```
 */
export function flexibleRateLimiter(create: CreateFlexibleLimiter): RateLimiter {
  const limiters = new Map<string, RateLimiterAbstract>();

  function limiterFor(rule: RateLimitRule): RateLimiterAbstract {
    const keyPrefix = `latchkey:${rule.name}:${rule.points}:${rule.durationSeconds}`;
    let limiter = limiters.get(keyPrefix);
    if (limiter === undefined) {
      limiter = create(rule, keyPrefix);
      limiters.set(keyPrefix, limiter);
    }
    return limiter;
  }

  return {
    async check(rule, key) {
      const res = await limiterFor(rule).get(key);
      if ((res?.consumedPoints ?? 0) < rule.points) return ALLOWED;
      return refused(res?.msBeforeNext ?? rule.durationSeconds * 1000);
    },

    async hit(rule, key) {
      try {
        await limiterFor(rule).consume(key, 1);
        return ALLOWED;
      } catch (rejection) {
        if (isLimiterRes(rejection)) return refused(rejection.msBeforeNext);
        throw rejection;
      }
    },

    async refund(rule, key) {
      await limiterFor(rule).reward(key, 1);
    },

    async reset(rule, key) {
      await limiterFor(rule).delete(key);
    },
  };
}
