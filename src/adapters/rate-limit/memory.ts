import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RateLimiter } from '../../core/ports.js';
import { flexibleRateLimiter } from './flexible.js';

/**
 * An in-process {@link RateLimiter} (rate-limiter-flexible's `RateLimiterMemory`). Counters live in this
 * process only: with several instances behind a load balancer, use a shared store instead.
 *
 * @example
 * ```ts
 * const limiter = memoryRateLimiter();
 * const rule = { name: 'login-ip', points: 10, durationSeconds: 60 };
 * const { allowed, retryAfter } = await limiter.hit(rule, '203.0.113.7');
 * ```
 */
export function memoryRateLimiter(): RateLimiter {
  return flexibleRateLimiter(
    (rule, keyPrefix) => new RateLimiterMemory({ keyPrefix, points: rule.points, duration: rule.durationSeconds }),
  );
}
