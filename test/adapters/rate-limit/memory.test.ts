import { describe, expect, it } from 'vitest';
import { memoryRateLimiter } from '../../../src/adapters/rate-limit/memory.js';
import type { RateLimitRule } from '../../../src/core/ports.js';

const rule: RateLimitRule = { name: 'login-account', points: 3, durationSeconds: 60 };

describe('memoryRateLimiter', () => {
  it('check does not count a hit', async () => {
    const limiter = memoryRateLimiter();
    for (let i = 0; i < 10; i++) {
      expect(await limiter.check(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
    }
    expect(await limiter.hit(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
  });

  it('hit counts, and refuses once the limit is reached', async () => {
    const limiter = memoryRateLimiter();
    for (let i = 0; i < rule.points; i++) {
      expect(await limiter.check(rule, 'alice')).toMatchObject({ allowed: true });
      expect(await limiter.hit(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
    }
    const checked = await limiter.check(rule, 'alice');
    expect(checked.allowed).toBe(false);
    expect(checked.retryAfter).toBeGreaterThanOrEqual(1);
    expect(checked.retryAfter).toBeLessThanOrEqual(rule.durationSeconds);

    const hit = await limiter.hit(rule, 'alice');
    expect(hit.allowed).toBe(false);
    expect(hit.retryAfter).toBeGreaterThanOrEqual(1);
    expect(hit.retryAfter).toBeLessThanOrEqual(rule.durationSeconds);
  });

  it('keeps keys and rules apart', async () => {
    const limiter = memoryRateLimiter();
    const ipRule: RateLimitRule = { name: 'login-ip', points: 3, durationSeconds: 60 };
    const tighter: RateLimitRule = { name: 'login-account', points: 1, durationSeconds: 60 };
    for (let i = 0; i < rule.points; i++) await limiter.hit(rule, 'alice');
    expect((await limiter.check(rule, 'alice')).allowed).toBe(false);
    expect((await limiter.check(rule, 'bob')).allowed).toBe(true);
    expect((await limiter.check(ipRule, 'alice')).allowed).toBe(true);
    expect((await limiter.check(tighter, 'alice')).allowed).toBe(true);
    expect((await limiter.hit(tighter, 'alice')).allowed).toBe(true);
    expect((await limiter.hit(tighter, 'alice')).allowed).toBe(false);
  });

  it('reset forgets the key', async () => {
    const limiter = memoryRateLimiter();
    for (let i = 0; i <= rule.points; i++) await limiter.hit(rule, 'alice');
    await limiter.hit(rule, 'bob');
    await limiter.reset(rule, 'alice');
    expect(await limiter.check(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
    expect(await limiter.hit(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
    await limiter.reset(rule, 'nobody'); // no error for an unknown key
    for (let i = 1; i < rule.points; i++) await limiter.hit(rule, 'bob');
    expect((await limiter.check(rule, 'bob')).allowed).toBe(false);
  });

  it('refund gives one hit back', async () => {
    const limiter = memoryRateLimiter();
    for (let i = 0; i < rule.points; i++) await limiter.hit(rule, 'alice');
    expect((await limiter.check(rule, 'alice')).allowed).toBe(false);
    await limiter.refund(rule, 'alice');
    expect((await limiter.check(rule, 'alice')).allowed).toBe(true);
    expect((await limiter.hit(rule, 'alice')).allowed).toBe(true);
    expect((await limiter.hit(rule, 'alice')).allowed).toBe(false);
  });

  it('expires hits after the duration', async () => {
    const limiter = memoryRateLimiter();
    const brief: RateLimitRule = { name: 'brief', points: 1, durationSeconds: 1 };
    await limiter.hit(brief, 'alice');
    expect(await limiter.hit(brief, 'alice')).toEqual({ allowed: false, retryAfter: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await limiter.check(brief, 'alice')).allowed).toBe(true);
  });
});
