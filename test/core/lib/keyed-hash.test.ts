import { describe, expect, it } from 'vitest';
import { createKeyedHash } from '../../../src/core/lib/keyed-hash.js';
import { TEST_SECRET } from '../helpers.js';

const OLD = 'afBaGyrGypTw_VX8q7X8Vwmp1InzC_xjkKKRpYez';
const PURPOSE = 'latchkey/codes';

describe('createKeyedHash', () => {
  it('is stable for one secret and purpose, and differs across secrets and purposes', () => {
    const hash = createKeyedHash(TEST_SECRET, PURPOSE);
    expect(hash('123456')).toBe(createKeyedHash(TEST_SECRET, PURPOSE)('123456'));
    expect(hash('123456')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash('123456')).not.toBe(createKeyedHash(OLD, PURPOSE)('123456'));
    expect(hash('123456')).not.toBe(createKeyedHash(TEST_SECRET, 'latchkey/other')('123456'));
  });

  it('hashes under the current secret, and lists the hash under every secret, current first', () => {
    const rotated = createKeyedHash([TEST_SECRET, OLD], PURPOSE);
    expect(rotated('abc')).toBe(createKeyedHash(TEST_SECRET, PURPOSE)('abc'));
    expect(rotated.all('abc')).toEqual([createKeyedHash(TEST_SECRET, PURPOSE)('abc'), createKeyedHash(OLD, PURPOSE)('abc')]);
    expect(createKeyedHash(TEST_SECRET, PURPOSE).all('abc')).toHaveLength(1);
  });

  it('needs at least one secret', () => {
    expect(() => createKeyedHash([], PURPOSE)).toThrow(TypeError);
  });
});
