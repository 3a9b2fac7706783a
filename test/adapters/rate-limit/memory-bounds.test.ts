import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_KEYS, memoryRateLimiter } from '../../../src/adapters/rate-limit/memory.js';
import type { Clock, RateLimitRule } from '../../../src/core/ports.js';

/** A clock the test moves by hand, in milliseconds. */
function manualClock(start = Date.UTC(2030, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

const rule: RateLimitRule = { name: 'login-account', points: 3, durationSeconds: 60 };
const once: RateLimitRule = { name: 'once', points: 1, durationSeconds: 60 };

describe('memoryRateLimiter: fixed windows on an injected clock', () => {
  it('counts from the first hit for durationSeconds, then starts again from zero', async () => {
    const clock = manualClock();
    const limiter = memoryRateLimiter({ clock });
    for (let i = 0; i < rule.points; i++) expect((await limiter.hit(rule, 'alice')).allowed).toBe(true);
    clock.advance(10_500);
    expect(await limiter.hit(rule, 'alice')).toEqual({ allowed: false, retryAfter: 50 });
    expect(await limiter.check(rule, 'alice')).toEqual({ allowed: false, retryAfter: 50 });
    clock.advance(49_499);
    expect(await limiter.check(rule, 'alice')).toEqual({ allowed: false, retryAfter: 1 });
    clock.advance(1);
    expect(await limiter.check(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
    for (let i = 0; i < rule.points; i++) expect((await limiter.hit(rule, 'alice')).allowed).toBe(true);
    expect((await limiter.hit(rule, 'alice')).allowed).toBe(false);
  });

  it('is a fixed window, not a sliding one: later hits do not push its end back', async () => {
    const clock = manualClock();
    const limiter = memoryRateLimiter({ clock });
    await limiter.hit(rule, 'alice');
    clock.advance(59_000);
    await limiter.hit(rule, 'alice');
    await limiter.hit(rule, 'alice');
    expect(await limiter.hit(rule, 'alice')).toEqual({ allowed: false, retryAfter: 1 });
    clock.advance(1_000);
    expect(await limiter.hit(rule, 'alice')).toEqual({ allowed: true, retryAfter: 0 });
  });

  it('refund never banks credit: not below zero, nothing for a key without a window', async () => {
    const clock = manualClock();
    const limiter = memoryRateLimiter({ clock });
    await limiter.refund(once, 'alice');
    await limiter.hit(once, 'alice');
    await limiter.refund(once, 'alice');
    await limiter.refund(once, 'alice');
    expect((await limiter.hit(once, 'alice')).allowed).toBe(true);
    expect((await limiter.hit(once, 'alice')).allowed).toBe(false);
    // A refund after the window ended does not carry into the next one.
    clock.advance(60_000);
    await limiter.refund(once, 'alice');
    expect((await limiter.hit(once, 'alice')).allowed).toBe(true);
    expect((await limiter.hit(once, 'alice')).allowed).toBe(false);
  });

  it('drops ended windows: size counts running ones only', async () => {
    const clock = manualClock();
    const limiter = memoryRateLimiter({ clock });
    const brief: RateLimitRule = { name: 'brief', points: 1, durationSeconds: 1 };
    for (let i = 0; i < 10; i++) await limiter.hit(brief, `k${i}`);
    await limiter.hit(rule, 'alice');
    expect(limiter.size).toBe(11);
    clock.advance(1_000);
    expect(limiter.size).toBe(1);
    await limiter.reset(rule, 'alice');
    expect(limiter.size).toBe(0);
  });
});

describe('memoryRateLimiter: bounded memory', () => {
  it('when full, drops the window that ends first, across rules', async () => {
    const clock = manualClock();
    const limiter = memoryRateLimiter({ clock, maxKeys: 3 });
    const brief: RateLimitRule = { name: 'brief', points: 1, durationSeconds: 10 };
    await limiter.hit(once, 'a'); // ends at 60 s
    clock.advance(1_000);
    await limiter.hit(once, 'b'); // ends at 61 s
    await limiter.hit(brief, 'c'); // ends at 11 s: the first to end, though the newest
    await limiter.hit(once, 'd');
    expect(limiter.size).toBe(3);
    expect((await limiter.check(brief, 'c')).allowed).toBe(true);
    expect((await limiter.check(once, 'a')).allowed).toBe(false);

    await limiter.hit(once, 'e'); // now 'a' ends first
    expect((await limiter.check(once, 'a')).allowed).toBe(true);
    for (const key of ['b', 'd', 'e']) expect((await limiter.check(once, key)).allowed, key).toBe(false);
    expect(limiter.size).toBe(3);
  });

  it('holds at most maxKeys counters after a flood of 300,000 distinct keys, in bounded time', async () => {
    const limiter = memoryRateLimiter();
    const perClient: RateLimitRule = { name: 'client-request', points: 60, durationSeconds: 60 };
    const started = performance.now();
    for (let i = 0; i < 300_000; i++) {
      await limiter.hit(perClient, `2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::`);
      if (i % 50_000 === 0) expect(limiter.size).toBeLessThanOrEqual(DEFAULT_MAX_KEYS);
    }
    expect(performance.now() - started, 'milliseconds').toBeLessThan(15_000);
    expect(limiter.size).toBe(DEFAULT_MAX_KEYS);
    // The newest counters are the ones kept, and they still count.
    const last = `2001:db8:${(299_999 >>> 16).toString(16)}:${(299_999 & 0xffff).toString(16)}::`;
    for (let i = 1; i < perClient.points; i++) await limiter.hit(perClient, last);
    expect((await limiter.hit(perClient, last)).allowed).toBe(false);
  });

  it('refuses a maxKeys that is not a positive integer', () => {
    for (const maxKeys of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => memoryRateLimiter({ maxKeys }), String(maxKeys)).toThrow(RangeError);
    }
    expect(memoryRateLimiter({ maxKeys: 1 }).size).toBe(0);
  });
});
