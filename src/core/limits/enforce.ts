import { AuthError } from '../errors.js';
import type { RateLimitDecision } from '../ports.js';

/** What a refusal says when the caller gives no better sentence. */
export const TOO_MANY_ATTEMPTS = 'Too many failed attempts. Try again later.';

/**
 * The one place a rate-limiter decision becomes `rate_limited`: nothing when allowed, otherwise the
 * error with `retryAfter` (whole seconds, at least 1) for the `Retry-After` header.
 *
 * @throws AuthError `rate_limited`
 * @example
 * ```ts
 * enforce(await ctx.rateLimiter.hit(rule, key))
 * ```
 */
export function enforce(decision: RateLimitDecision, message: string = TOO_MANY_ATTEMPTS): void {
  if (decision.allowed) return;
  throw rateLimited(decision.retryAfter, message);
}

/** A `rate_limited` error that asks the caller to wait `retryAfter` seconds (at least 1). */
export function rateLimited(retryAfter: number, message: string = TOO_MANY_ATTEMPTS): AuthError {
  return new AuthError('rate_limited', message, { retryAfter: Math.max(1, Math.ceil(retryAfter)) });
}
