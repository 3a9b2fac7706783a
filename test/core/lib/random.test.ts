import { describe, expect, it } from 'vitest';
import { randomBytes, randomToken } from '../../../src/core/lib/random.js';

describe('randomBytes', () => {
  it('hands out every byte once: no two draws across several pool refills share a window', () => {
    const seen = new Set<string>();
    // 5,000 draws of 16 bytes is about 20 refills of the 4 KiB pool.
    for (let i = 0; i < 5000; i++) {
      const bytes = randomBytes(16);
      expect(bytes).toHaveLength(16);
      const hex = Buffer.from(bytes).toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
    }
  });

  it('returns a copy: changing what it returned changes nothing drawn later', () => {
    const first = randomBytes(32);
    first.fill(0);
    const next = randomBytes(32);
    expect(next.some((b) => b !== 0)).toBe(true);
    expect(next.buffer).not.toBe(first.buffer);
  });

  it('looks uniform: every byte value turns up over 256 KiB of draws, none far off its share', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 8192; i++) for (const b of randomBytes(32)) counts[b]!++;
    // 1,024 expected per value; a CSPRNG stays within ±25 % (about 8 standard deviations).
    for (const count of counts) expect(count).toBeGreaterThan(768), expect(count).toBeLessThan(1280);
  });

  it('serves large requests straight from the CSPRNG, at the length asked', () => {
    expect(randomBytes(1000)).toHaveLength(1000);
    expect(randomToken(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a length that is not one, rather than hand out nothing or bytes already given', () => {
    for (const length of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY]) expect(() => randomBytes(length)).toThrow(RangeError);
    expect(randomBytes(16).some((b) => b !== 0)).toBe(true);
  });
});
