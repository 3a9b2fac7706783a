import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisRateLimiter } from '../../../src/adapters/rate-limit/redis.js';
import type { LogFields, Logger, RateLimitRule } from '../../../src/core/ports.js';
import { describeWithService, serviceUrl } from '../../support/services.js';

/** Every entry a limiter logged, by level. */
function recordingLogger(): Logger & { entries: { level: string; message: string; fields?: LogFields }[] } {
  const entries: { level: string; message: string; fields?: LogFields }[] = [];
  const record = (level: string) => (message: string, fields?: LogFields) => void entries.push({ level, message, fields });
  return { entries, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

const rule: RateLimitRule = { name: 'login-client', points: 3, durationSeconds: 60 };
/** Generous: on a loaded test machine a slow answer must not send counts to the in-memory fallback. */
const timeoutMs = 5_000;

/**
 * redisRateLimiter on the machine's Redis: the RateLimiter contract (as test/adapters/rate-limit/memory.test.ts
 * states it for the memory limiter), counted atomically in Redis. Each test writes under a key prefix of
 * its own, removed afterwards, so that runs and other tests never share a counter.
 */
await describeWithService('redis', 'redisRateLimiter', () => {
  /** Two connections: two app instances, as far as Redis can tell. */
  let first: Redis;
  let second: Redis;
  const prefixes: string[] = [];
  const logger = recordingLogger();

  function newPrefix(): string {
    const prefix = `lk-test-${randomBytes(6).toString('hex')}:`;
    prefixes.push(prefix);
    return prefix;
  }

  async function keysUnder(prefix: string): Promise<string[]> {
    return first.keys(`${prefix}*`);
  }

  beforeAll(() => {
    first = new Redis(serviceUrl('redis'));
    second = new Redis(serviceUrl('redis'));
  });

  afterAll(async () => {
    for (const prefix of prefixes) {
      const keys = await keysUnder(prefix);
      if (keys.length > 0) await first.del(...keys);
    }
    await Promise.all([first.quit(), second.quit()]);
    // Redis answered throughout: nothing was worth telling.
    expect(logger.entries).toEqual([]);
  });

  it('check counts nothing; hit counts, and refuses once the limit is reached', async () => {
    const limiter = redisRateLimiter(first, { keyPrefix: newPrefix(), logger, timeoutMs });
    for (let i = 0; i < 10; i++) expect(await limiter.check(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
    for (let i = 0; i < rule.points; i++) expect(await limiter.hit(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
    for (const decision of [await limiter.check(rule, 'alice'), await limiter.hit(rule, 'alice')]) {
      expect(decision.allowed).toBe(false);
      expect(decision.retryAfter).toBeGreaterThanOrEqual(1);
      expect(decision.retryAfter).toBeLessThanOrEqual(rule.durationSeconds);
    }
  });

  it('200 concurrent hits through two connections allow exactly the limit', async () => {
    const keyPrefix = newPrefix();
    const limiters = [redisRateLimiter(first, { keyPrefix, logger, timeoutMs }), redisRateLimiter(second, { keyPrefix, logger, timeoutMs })];
    const tight: RateLimitRule = { name: 'login-client', points: 37, durationSeconds: 60 };
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => limiters[i % 2]!.hit(tight, 'alice')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(tight.points);
    // One counter in Redis, which every hit reached, refused ones included.
    const keys = await keysUnder(keyPrefix);
    expect(keys).toHaveLength(1);
    expect(await first.get(keys[0]!)).toBe('200');
  });

  it('keeps keys and rules apart', async () => {
    const limiter = redisRateLimiter(first, { keyPrefix: newPrefix(), logger, timeoutMs });
    const ipRule: RateLimitRule = { name: 'login-ip', points: 3, durationSeconds: 60 };
    const tighter: RateLimitRule = { ...rule, points: 1 };
    for (let i = 0; i < rule.points; i++) await limiter.hit(rule, 'alice');
    expect((await limiter.check(rule, 'alice')).allowed).toBe(false);
    expect((await limiter.check(rule, 'bob')).allowed).toBe(true);
    expect((await limiter.check(ipRule, 'alice')).allowed).toBe(true);
    // The same name with other limits is another counter: a changed limit starts afresh.
    expect((await limiter.hit(tighter, 'alice')).allowed).toBe(true);
    expect((await limiter.hit(tighter, 'alice')).allowed).toBe(false);
  });

  it('two key prefixes on one Redis count apart: two apps do not spend each other’s budgets', async () => {
    const shop = redisRateLimiter(first, { keyPrefix: newPrefix(), logger, timeoutMs });
    const blog = redisRateLimiter(second, { keyPrefix: newPrefix(), logger, timeoutMs });
    for (let i = 0; i < rule.points; i++) await shop.hit(rule, 'alice');
    expect((await shop.hit(rule, 'alice')).allowed).toBe(false);
    expect(await blog.check(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
    expect(await blog.hit(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
  });

  it('refund gives one hit back, never below zero; reset forgets the key', async () => {
    const limiter = redisRateLimiter(first, { keyPrefix: newPrefix(), logger, timeoutMs });
    for (let i = 0; i < rule.points; i++) await limiter.hit(rule, 'alice');
    await limiter.refund(rule, 'alice');
    expect((await limiter.hit(rule, 'alice')).allowed).toBe(true);
    expect((await limiter.hit(rule, 'alice')).allowed).toBe(false);

    // A refund of a key without hits hands out no extra attempt.
    await limiter.refund(rule, 'bob');
    await limiter.refund(rule, 'bob');
    for (let i = 0; i < rule.points; i++) expect((await limiter.hit(rule, 'bob')).allowed).toBe(true);
    expect((await limiter.hit(rule, 'bob')).allowed).toBe(false);

    await limiter.reset(rule, 'alice');
    expect(await limiter.check(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
    await limiter.reset(rule, 'nobody'); // no error for an unknown key
    expect((await limiter.check(rule, 'bob')).allowed).toBe(false);
  });

  it('a window ends in Redis: its key expires, and the key counts from zero again', async () => {
    const keyPrefix = newPrefix();
    const limiter = redisRateLimiter(first, { keyPrefix, logger, timeoutMs });
    const brief: RateLimitRule = { name: 'brief', points: 1, durationSeconds: 1 };
    await limiter.hit(brief, 'alice');
    expect(await limiter.hit(brief, 'alice')).toEqual({ allowed: false, retryAfter: 1 });
    const [key] = await keysUnder(keyPrefix);
    const ttl = await first.pttl(key!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await keysUnder(keyPrefix)).toEqual([]);
    expect(await limiter.check(brief, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
    expect(await limiter.hit(brief, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
  });

  it('refuses a timeout that is not a positive number', () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => redisRateLimiter(first, { timeoutMs }), String(timeoutMs)).toThrow(RangeError);
    }
  });
});
