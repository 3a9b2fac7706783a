import { describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_ATTEMPTS, nextAttemptDelay } from '../../../src/core/internal/webhooks/retry-schedule.js';

// The retry schedule lives in src/core/internal/webhooks/; its test sits here beside the signing test.
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const middle = () => 0.5;

describe('nextAttemptDelay', () => {
  it("follows Svix's schedule: immediate, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then failed", () => {
    const delays = Array.from({ length: 10 }, (_, n) => nextAttemptDelay(n, { random: middle }));
    expect(delays).toEqual([0, 5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H, null, null]);
    expect(MAX_WEBHOOK_ATTEMPTS).toBe(8);
  });

  it('jitters each wait by ±10 %', () => {
    expect(nextAttemptDelay(1, { random: () => 0 })).toBe(4500);
    expect(nextAttemptDelay(1, { random: () => 0.999999 })).toBe(5500);
    expect(nextAttemptDelay(4, { random: () => 0.25 })).toBe(2 * H * 0.95);
    expect(nextAttemptDelay(0, { random: () => 0 })).toBe(0);
    for (let i = 0; i < 200; i++) {
      const delay = nextAttemptDelay(3)!;
      expect(delay).toBeGreaterThanOrEqual(27 * M);
      expect(delay).toBeLessThanOrEqual(33 * M);
    }
  });

  it('honours Retry-After when it asks for longer than the schedule, up to 24 h', () => {
    expect(nextAttemptDelay(1, { random: middle, retryAfterSeconds: 7 })).toBe(7 * S);
    expect(nextAttemptDelay(1, { random: middle, retryAfterSeconds: 2 })).toBe(5 * S);
    expect(nextAttemptDelay(2, { random: middle, retryAfterSeconds: 3600 })).toBe(H);
    expect(nextAttemptDelay(6, { random: middle, retryAfterSeconds: 7 * 24 * 3600 })).toBe(24 * H);
    expect(nextAttemptDelay(1, { random: middle, retryAfterSeconds: null })).toBe(5 * S);
    expect(nextAttemptDelay(1, { random: middle, retryAfterSeconds: 0 })).toBe(5 * S);
  });

  it('never adds attempts: after the 8th, Retry-After or not, the delivery has failed', () => {
    expect(nextAttemptDelay(8, { retryAfterSeconds: 60 })).toBeNull();
  });

  it('refuses a negative or fractional attempt count', () => {
    expect(() => nextAttemptDelay(-1)).toThrow(TypeError);
    expect(() => nextAttemptDelay(1.5)).toThrow(TypeError);
  });
});
