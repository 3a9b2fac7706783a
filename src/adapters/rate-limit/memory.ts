import type { Clock, RateLimitDecision, RateLimiter, RateLimitRule } from '../../core/ports.js';
import { FixedWindowStore } from './fixed-window-store.js';

/** What {@link memoryRateLimiter} accepts. */
export interface MemoryRateLimiterOptions {
  /**
   * The most counters (one per rule and key) held at once, across all rules. Default 100,000: about
   * 30 MB with keys the size of IPv6 addresses. When it is reached, the counter whose window ends
   * first is dropped to make room.
   */
  maxKeys?: number;
  /** Where time comes from (default the system clock); tests pass a clock they move by hand. */
  clock?: Clock;
}

/** A {@link RateLimiter} kept in this process's memory, with a hard cap on what it holds. */
export interface MemoryRateLimiter extends RateLimiter {
  /**
   * How many counters it holds now, after dropping those whose window has ended: never more than
   * `maxKeys`. Read-only; for tests and metrics.
   */
  readonly size: number;
}

export const DEFAULT_MAX_KEYS = 100_000;

const ALLOWED: RateLimitDecision = { allowed: true, retryAfter: 0 };
const systemClock: Clock = { now: () => new Date() };

/** Seconds until the window ends, at least 1. */
function refused(msLeft: number): RateLimitDecision {
  return { allowed: false, retryAfter: Math.max(1, Math.ceil(msLeft / 1000)) };
}

/** Rules count apart: by name, and by limits, so that a changed limit starts afresh. */
function ruleId(rule: RateLimitRule): string {
  return `${rule.name}:${rule.points}:${rule.durationSeconds}`;
}

/**
 * An in-process {@link RateLimiter}: one fixed window per rule and key, `rule.points` hits allowed in
 * each `rule.durationSeconds` from the key's first hit. Counters live in this process only: with
 * several instances behind a load balancer, use a shared store instead (`flexibleRateLimiter`).
 *
 * Memory is bounded: at most `maxKeys` counters are held. Ended windows are swept as new ones open,
 * and when it is full the counter whose window ends first is dropped (the oldest of a rule). Under a
 * flood of distinct keys (spoofed or rotating addresses), counters are therefore forgotten early, so
 * a limit may let more through than configured, but the process never runs out of memory; size
 * `maxKeys` above the keys your legitimate traffic creates within your longest window.
 *
 * - `hit` counts one and is allowed while the window's count is at most `points`; refused hits count
 *   too, and `retryAfter` is the seconds until the window ends (at least 1).
 * - `check` counts nothing: allowed while the count is below `points`.
 * - `refund` takes one off a running window's count (never below zero; nothing for a key without one).
 * - `reset` drops the key's counter.
 *
 * @param options - `maxKeys` (default 100,000) and `clock`.
 * @throws RangeError when `maxKeys` is not a positive integer
 *
 * @example
 * ```ts
 * const limiter = memoryRateLimiter({ maxKeys: 50_000 });
 * const rule = { name: 'login-ip', points: 10, durationSeconds: 60 };
 * const { allowed, retryAfter } = await limiter.hit(rule, '203.0.113.7');
 * ```
 */
export function memoryRateLimiter(options: MemoryRateLimiterOptions = {}): MemoryRateLimiter {
  const { maxKeys = DEFAULT_MAX_KEYS, clock = systemClock } = options;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new RangeError('memoryRateLimiter: maxKeys must be a positive integer');
  }
  const store = new FixedWindowStore(maxKeys);
  const now = (): number => clock.now().getTime();

  return {
    get size(): number {
      store.sweep(now());
      return store.size;
    },

    async check(rule, key) {
      const at = now();
      const window = store.find(ruleId(rule), key, at);
      if ((window?.count ?? 0) < rule.points) return ALLOWED;
      return refused(window ? window.resetAt - at : rule.durationSeconds * 1000);
    },

    async hit(rule, key) {
      const at = now();
      const id = ruleId(rule);
      const window = store.find(id, key, at) ?? store.open(id, key, at, at + rule.durationSeconds * 1000);
      window.count += 1;
      return window.count <= rule.points ? ALLOWED : refused(window.resetAt - at);
    },

    async refund(rule, key) {
      const window = store.find(ruleId(rule), key, now());
      if (window && window.count > 0) window.count -= 1;
    },

    async reset(rule, key) {
      store.delete(ruleId(rule), key);
    },
  };
}
