import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretWeakness } from '../../../src/core/lib/secret-strength.js';

describe('secretWeakness', () => {
  it.each([
    ['x'.repeat(32), /short pattern/],
    ['ab'.repeat(16), /short pattern/],
    ['abc'.repeat(11), /short pattern/],
    ['Xq3vT9pLm2Rw7Kd1'.repeat(2), /short pattern/],
    ['test-secret-'.padEnd(40, 'x'), /fewer than 8 different characters/],
    ['aabbccddeeffgg'.repeat(2) + 'abcd', /fewer than 8 different characters/],
    ['abcdefghij'.padEnd(40, 'z'), /mostly one repeated character/],
  ])('refuses %s', (weak, reason) => {
    const why = secretWeakness(weak);
    expect(why).toMatch(reason);
    expect(why).not.toContain(weak);
  });

  it('accepts random secrets of every usual format', () => {
    for (let i = 0; i < 500; i++) {
      expect(secretWeakness(randomBytes(32).toString('hex'))).toBeUndefined();
      expect(secretWeakness(randomBytes(32).toString('base64'))).toBeUndefined();
      expect(secretWeakness(randomBytes(32).toString('base64url'))).toBeUndefined();
      expect(secretWeakness(randomBytes(16).toString('hex'))).toBeUndefined();
    }
  });

  it('counts characters, not UTF-16 units', () => {
    expect(secretWeakness('🔑'.repeat(32))).toMatch(/short pattern/);
  });
});
