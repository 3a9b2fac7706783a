import { redactUrl } from '../../src/cli/redact-url.js';
import type { Logger, RateLimiter } from '../../src/core/ports.js';
import { redisRateLimiter } from '../../src/redis.js';

/** Where the demo counts its rate limits, said in one line, and how to let go of it. */
export interface ExampleRateLimiter {
  /** `redisRateLimiter` over `REDIS_URL`; none (latchkey's in-memory default) without it. */
  rateLimiter: RateLimiter | null;
  /** For the start-up line: `Redis at redis://…` (password masked), or memory. */
  description: string;
  /** Closes the Redis connection, if there is one (call it after the server has stopped). */
  close(): Promise<void>;
}

/**
 * The demo's rate limiter. With `REDIS_URL` (`redis://:password@host:6379`), every instance of the demo
 * counts in that Redis, through `latchkey/redis` (ioredis is loaded only then); while Redis is down each
 * instance counts in its own memory, and latchkey's logger says so once. Without it, latchkey counts in
 * this process's memory, which is right for one instance.
 *
 * @example
 * ```ts
 * const limits = await exampleRateLimiter({ REDIS_URL: 'redis://127.0.0.1:6379' });
 * limits.description; // 'Redis at redis://127.0.0.1:6379 (REDIS_URL): shared by every instance, …'
 * ```
 */
export async function exampleRateLimiter(env: NodeJS.ProcessEnv, logger?: Logger): Promise<ExampleRateLimiter> {
  const url = env.REDIS_URL?.trim();
  if (!url) {
    return {
      rateLimiter: null,
      description: 'memory: counted in this process only (set REDIS_URL to share them between instances)',
      close: async () => {},
    };
  }
  const { Redis } = await import('ioredis');
  const redis = new Redis(url);
  // The limiter logs an outage once, and its end; ioredis would print every failed reconnection.
  redis.on('error', () => {});
  return {
    rateLimiter: redisRateLimiter(redis, logger ? { logger } : {}),
    description: `Redis at ${redactUrl(url)} (REDIS_URL): shared by every instance, counted in memory while Redis is down`,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
