import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger, RateLimiter } from '../../core/ports.js';
import { consoleLogger } from '../logger/console.js';
import { flexibleRateLimiter } from './flexible.js';
import { memoryRateLimiter } from './memory.js';
import { failoverRateLimiter } from './redis-failover.js';

/**
 * The part of an ioredis client (`new Redis(url)` of the `ioredis` package, version 6) that the limiter
 * uses, so that latchkey's types do not require ioredis's. The app creates the client, and closes it
 * (`redis.quit()`) on shutdown: the limiter never does.
 */
export interface RedisClient {
  /**
   * ioredis's connection state. Once it has been `ready`, calls made while it is not are counted in
   * memory at once; before that (at start-up) they wait in ioredis's offline queue, at most `timeoutMs`.
   */
  readonly status: string;
  /** Registers the counting script (rate-limiter-flexible calls it once per rule). */
  defineCommand(name: string, definition: { numberOfKeys?: number; lua: string }): void;
  /** Starts a transaction (reads of a counter and its expiry). */
  multi(): unknown;
  /** Deletes counters (`reset`). */
  del(...keys: string[]): Promise<number>;
}

/** What {@link redisRateLimiter} accepts. */
export interface RedisRateLimiterOptions {
  /**
   * Put before every key it writes (default none: keys start with `latchkey:`). Apps that share one
   * Redis database give each its own (`shop:`), or they spend each other's budgets.
   */
  keyPrefix?: string;
  /** Where the start and the end of a Redis outage are logged (default latchkey's console logger). */
  logger?: Logger;
  /**
   * Milliseconds a Redis call may take before the in-memory limiter answers instead (default 500): a
   * Redis that hangs must not hang logins.
   */
  timeoutMs?: number;
  /** The most counters the in-memory fallback holds during an outage (default 100,000; see `memoryRateLimiter`). */
  fallbackMaxKeys?: number;
}

const DEFAULT_TIMEOUT_MS = 500;

/**
 * rate-limiter-flexible's script, with one change: a refund (a negative count) of a key without hits
 * does nothing, where the original would store -1 and so hand out an extra attempt. This is what
 * `memoryRateLimiter` does too.
 */
const INCREMENT_SCRIPT = `if tonumber(ARGV[1]) < 0 and tonumber(redis.call('get', KEYS[1]) or '0') <= 0 then
  return {0, redis.call('pttl', KEYS[1])}
end
redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('expire', KEYS[1], ARGV[2])
  ttl = 1000 * ARGV[2]
end
return {consumed, ttl}`;

/**
 * A {@link RateLimiter} whose counters live in Redis, so that every instance of the app spends one
 * budget: each hit is one atomic script in Redis (rate-limiter-flexible's `RateLimiterRedis`), so
 * concurrent hits from any number of instances allow exactly `points` per window. Windows are fixed, from
 * a key's first hit, and expire in Redis.
 *
 * When Redis cannot answer (the client lost its connection, a call failed or took longer than
 * `timeoutMs`), each call is counted in this process's memory instead, and logins keep working. The
 * cost: while Redis is down every instance counts alone, so N instances allow up to N times each budget,
 * and counts made during the outage are not carried over when Redis is back. The outage is logged once
 * with `logger.error`, and its end once with `logger.warn` (docs/deployment.md).
 *
 * @param redis - an ioredis client the app created and closes.
 * @param options - `keyPrefix`, `logger`, `timeoutMs`, `fallbackMaxKeys`.
 * @throws RangeError when `timeoutMs` is not a positive number
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createAuth } from 'latchkey';
 * import { redisRateLimiter } from 'latchkey/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!);
 * const auth = createAuth({ storage, secret, rateLimiter: redisRateLimiter(redis) });
 * ```
 */
export function redisRateLimiter(redis: RedisClient, options: RedisRateLimiterOptions = {}): RateLimiter {
  const { keyPrefix = '', logger = consoleLogger(), timeoutMs = DEFAULT_TIMEOUT_MS, fallbackMaxKeys } = options;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('redisRateLimiter: timeoutMs must be a positive number');
  const shared = flexibleRateLimiter(
    (rule, rulePrefix) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${keyPrefix}${rulePrefix}`,
        points: rule.points,
        duration: rule.durationSeconds,
        customIncrTtlLuaScript: INCREMENT_SCRIPT,
      }),
  );
  const fallback = memoryRateLimiter(fallbackMaxKeys === undefined ? {} : { maxKeys: fallbackMaxKeys });
  return failoverRateLimiter(shared, fallback, {
    timeoutMs,
    connected: () => redis.status === 'ready',
    onOutage(error) {
      logger.error(
        'rate limiter: Redis is not answering; counting rate limits in this process only until it is back (each instance counts alone, so limits are multiplied by the number of instances)',
        // The message only: a client's error object may carry the command, and so an account's key.
        { error: error instanceof Error ? error.message : String(error) },
      );
    },
    onRecovered() {
      logger.warn('rate limiter: Redis answers again; rate limits are counted in Redis again');
    },
  });
}
