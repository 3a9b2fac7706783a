/**
 * When a webhook delivery is attempted again: Svix's schedule. Attempt 1 is immediate; after a failed
 * attempt n the next waits `WEBHOOK_RETRY_DELAYS_MS[n - 1]`; after the 8th the delivery has failed.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The wait after each failed attempt, in milliseconds: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];

/** How many attempts a delivery gets (the immediate one and seven retries), about 28 hours in all. */
export const MAX_WEBHOOK_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

/** The longest a receiver's `Retry-After` can push the next attempt back. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/** Jitter: each scheduled wait is scaled by a factor drawn uniformly from [0.9, 1.1). */
export const WEBHOOK_RETRY_JITTER = 0.1;

/** Options of {@link nextAttemptDelay}. */
export interface NextAttemptDelayOptions {
  /** Uniform in [0, 1), for the jitter. Default `Math.random`; tests inject a fixed one. */
  random?: () => number;
  /** The last response's `Retry-After`, in seconds (the sender's `retryAfterSeconds`). */
  retryAfterSeconds?: number | null;
}

/**
 * How long to wait, in milliseconds, before the next attempt of a delivery that has been attempted
 * `attemptsSoFar` times and has not succeeded; `null` when it has had all {@link MAX_WEBHOOK_ATTEMPTS}
 * and is now failed. With 0 attempts so far the answer is 0: the first attempt is immediate.
 *
 * Each scheduled wait gets ±10 % jitter, so endpoints that fail together (an outage) are not retried
 * in lockstep. A receiver's `Retry-After` is honoured when it asks for longer than that, up to 24 hours;
 * it never shortens the schedule and never adds attempts.
 *
 * @throws TypeError when `attemptsSoFar` is not a non-negative integer
 * @example
 * ```ts
 * const delay = nextAttemptDelay(delivery.attempts, { retryAfterSeconds: result.retryAfterSeconds })
 * if (delay === null) markFailed(delivery)
 * else scheduleAt(new Date(clock.now().getTime() + delay))
 * // nextAttemptDelay(1) ≈ 5000 (4500–5500); nextAttemptDelay(8) === null
 * ```
 */
export function nextAttemptDelay(attemptsSoFar: number, options: NextAttemptDelayOptions = {}): number | null {
  if (!Number.isSafeInteger(attemptsSoFar) || attemptsSoFar < 0) {
    throw new TypeError('nextAttemptDelay: `attemptsSoFar` must be a non-negative integer');
  }
  if (attemptsSoFar === 0) return 0;
  const scheduled = WEBHOOK_RETRY_DELAYS_MS[attemptsSoFar - 1];
  if (scheduled === undefined) return null;
  const random = options.random ?? Math.random;
  const jittered = Math.round(scheduled * (1 + (2 * random() - 1) * WEBHOOK_RETRY_JITTER));
  const retryAfter = options.retryAfterSeconds;
  if (retryAfter == null || !Number.isFinite(retryAfter) || retryAfter <= 0) return jittered;
  return Math.max(jittered, Math.min(Math.ceil(retryAfter * SECOND), MAX_RETRY_AFTER_MS));
}
