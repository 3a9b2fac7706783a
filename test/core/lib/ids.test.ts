import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/core/lib/ids.js';

describe('newId', () => {
  it('is the prefix, an underscore and 26 Crockford base32 characters', () => {
    const id = newId('acc');
    expect(id).toMatch(/^acc_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('sorts by creation time', () => {
    const times = [
      new Date('1999-12-31T23:59:59.999Z'),
      new Date('2030-01-01T00:00:00.000Z'),
      new Date('2030-01-01T00:00:00.001Z'),
      new Date('2030-01-01T00:00:01.000Z'),
      new Date('2100-06-01T00:00:00.000Z'),
    ];
    const ids = times.map((t) => newId('ses', t));
    expect([...ids].reverse().sort()).toEqual(ids);
  });

  it('encodes the time in the first ten characters', () => {
    const at = new Date('2030-01-01T00:00:00.000Z');
    const a = newId('evt', at);
    const b = newId('evt', at);
    expect(a.slice(0, 14)).toBe(b.slice(0, 14));
    expect(a).not.toBe(b);
  });

  it('is unique', () => {
    const at = new Date('2030-01-01T00:00:00.000Z');
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('lgn', at)));
    expect(ids.size).toBe(10_000);
  });
});
