import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../../../src/core/lib/constant-time.js';
import { randomToken } from '../../../src/core/lib/random.js';
import { hashToken } from '../../../src/core/lib/token-hash.js';

describe('hashToken', () => {
  it('is SHA-256, base64url without padding', () => {
    // SHA-256('abc') from FIPS 180-2.
    expect(hashToken('abc')).toBe(Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex').toString('base64url'));
    expect(hashToken(randomToken())).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('randomToken', () => {
  it('carries 256 bits by default and never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken()));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });
});

describe('constantTimeEqual', () => {
  it('compares contents and lengths', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([]), new Uint8Array([]))).toBe(true);
  });
});
