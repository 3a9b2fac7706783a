import { describe, expect, it } from 'vitest';
import { decodeB64, encodeB64, formatPhc, parsePhc } from '../../../src/adapters/password/phc.js';
import {
  createScryptHasher,
  loadScryptEngine,
  nobleScryptEngine,
  parseScryptHash,
  scryptHasher,
} from '../../../src/adapters/password/scrypt.js';
import { constantTimeEqual } from '../../../src/core/lib/constant-time.js';

/** Cheap parameters (1 MiB, ~1 ms) for everything but the tests of the defaults. */
const small = { ln: 10, r: 8, p: 1 };
const hasher = scryptHasher(small);
const PHC = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** A well-formed scrypt PHC string with the given parameter text. */
function forged(params: string, saltBytes = 16, hashBytes = 32): string {
  return `$scrypt$${params}$${encodeB64(new Uint8Array(saltBytes))}$${encodeB64(new Uint8Array(hashBytes))}`;
}

describe('scryptHasher', () => {
  it('round-trips with the default parameters and writes a PHC string', async () => {
    const defaults = scryptHasher();
    const stored = await defaults.hash('correct horse battery staple');
    const match = PHC.exec(stored);
    expect(match?.slice(1, 4)).toEqual(['14', '8', '5']);
    expect(decodeB64(match?.[4] ?? '')).toHaveLength(16);
    expect(decodeB64(match?.[5] ?? '')).toHaveLength(32);
    expect(await defaults.verify(stored, 'correct horse battery staple')).toBe(true);
    expect(defaults.needsRehash(stored)).toBe(false);
  });

  it('refuses a wrong password', async () => {
    const stored = await hasher.hash('hunter2');
    expect(await hasher.verify(stored, 'hunter3')).toBe(false);
    expect(await hasher.verify(stored, '')).toBe(false);
    expect(await hasher.verify(stored, 'hunter2 ')).toBe(false);
  });

  it('hashes the UTF-8 bytes of Unicode passwords, without normalising them', async () => {
    for (const password of ['pässwörd', '密码🔑', 'ñ', 'Ω']) {
      expect(await hasher.verify(await hasher.hash(password), password)).toBe(true);
    }
    // Composed and decomposed ñ are different bytes: normalisation is the core's job.
    expect(await hasher.verify(await hasher.hash('\u00f1'), 'n\u0303')).toBe(false);
  });

  it('uses a fresh salt for every hash', async () => {
    const [a, b] = await Promise.all([hasher.hash('same'), hasher.hash('same')]);
    expect(a).not.toBe(b);
    expect(parseScryptHash(a)?.salt).not.toEqual(parseScryptHash(b)?.salt);
  });

  it('needs a rehash when ln, r, p or the key length change, or the hash is not scrypt', async () => {
    const stored = await hasher.hash('pw');
    expect(hasher.needsRehash(stored)).toBe(false);
    expect(scryptHasher({ ...small, ln: 11 }).needsRehash(stored)).toBe(true);
    expect(scryptHasher({ ...small, r: 4 }).needsRehash(stored)).toBe(true);
    expect(scryptHasher({ ...small, p: 2 }).needsRehash(stored)).toBe(true);
    expect(scryptHasher({ ...small, keyLength: 64 }).needsRehash(stored)).toBe(true);
    expect(hasher.needsRehash('$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g')).toBe(true);
    expect(hasher.needsRehash('garbage')).toBe(true);
  });

  it('refuses out-of-bounds parameters at once, without deriving anything', async () => {
    const hostile = [
      forged('ln=30,r=8,p=1'), // 128 GiB
      forged('ln=20,r=1,p=1'), // 128 MiB
      forged('ln=16,r=16,p=1'), // 128 MiB
      forged('ln=14,r=8,p=17'), // too much CPU
      forged('ln=9,r=8,p=1'), // too weak
      forged('ln=16,r=1,p=1'), // N ≥ 2^(16·r): RFC 7914 forbids it, node:crypto refuses it
      forged('ln=14,r=0,p=1'),
      forged('ln=14,r=8,p=0'),
      forged('ln=14,r=8,p=1', 4), // salt too short
      forged('ln=14,r=8,p=1', 16, 8), // key too short
      forged('ln=14,r=8,p=1', 16, 128), // key too long
    ];
    const started = performance.now();
    for (const stored of hostile) expect(await hasher.verify(stored, 'pw')).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('returns false, never throws, for malformed strings', async () => {
    const valid = await hasher.hash('pw');
    const malformed = [
      '',
      'scrypt',
      '$scrypt',
      '$scrypt$ln=10,r=8,p=1',
      '$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA',
      forged('ln=10,r=8'),
      forged('ln=10,r=8,p=1,x=1'),
      forged('ln=10,r=8,p=1,p=1'),
      forged('ln=010,r=8,p=1'),
      forged('ln=10,r=8,p=-1'),
      forged('ln=1e1,r=8,p=1'),
      forged('ln=10;r=8;p=1'),
      `${valid}=`,
      `${valid}$extra`,
      valid.replace('$scrypt$', '$scrypt$v=1$'),
      valid.replace('$scrypt$', '$bcrypt$'),
      valid.replace(/\$([^$]+)$/, '$$$1!'),
      '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
      '$scrypt$ln=10,r=8,p=1$' + 'A'.repeat(5000) + '$AAAA',
    ];
    for (const stored of malformed) expect(await hasher.verify(stored, 'pw')).toBe(false);
  });

  it('keeps the event loop turning while several hashes run', async () => {
    const defaults = scryptHasher();
    await defaults.hash('warm-up'); // loads node:crypto
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await Promise.all(['a', 'b', 'c', 'd'].map((password) => defaults.hash(password)));
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('produces the same hashes with the @noble/hashes fallback as with node:crypto', async () => {
    const noble = createScryptHasher(small, () => Promise.resolve(nobleScryptEngine));
    const node = createScryptHasher(small, loadScryptEngine);
    const fromNoble = await noble.hash('fällback');
    expect(await node.verify(fromNoble, 'fällback')).toBe(true);
    expect(await node.verify(fromNoble, 'fallback')).toBe(false);
    expect(await noble.verify(await node.hash('fällback'), 'fällback')).toBe(true);
  });

  it('refuses out-of-bounds options when it is created', () => {
    expect(() => scryptHasher({ ln: 20 })).toThrow(RangeError);
    expect(() => scryptHasher({ p: 0 })).toThrow(RangeError);
    expect(() => scryptHasher({ keyLength: 8 })).toThrow(RangeError);
    expect(() => scryptHasher({ saltLength: 4 })).toThrow(RangeError);
    expect(() => scryptHasher({ ln: 14.5 })).toThrow(RangeError);
  });
});

describe('PHC strings', () => {
  it('parses and formats the scrypt form', () => {
    const salt = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    const hash = new Uint8Array(32).fill(0xab);
    const text = formatPhc({ id: 'scrypt', params: { ln: 14, r: 8, p: 5 }, salt, hash });
    expect(text).toBe(`$scrypt$ln=14,r=8,p=5$AQIDBAUGBwgJCgsMDQ4PEA$${encodeB64(hash)}`);
    expect(text).not.toContain('=$');
    expect(parsePhc(text)).toEqual({ id: 'scrypt', params: { ln: '14', r: '8', p: '5' }, salt, hash });
    expect(parseScryptHash(text)?.params).toEqual({ ln: 14, r: 8, p: 5, keyLength: 32 });
  });

  it('reads versions and strings without salt or hash', () => {
    expect(parsePhc('$argon2id$v=19$m=65536,t=3,p=4')).toEqual({
      id: 'argon2id',
      version: 19,
      params: { m: '65536', t: '3', p: '4' },
    });
    expect(parsePhc('$argon2id$v=19$m=65536,t=3,p=4$AQIDBA')?.salt).toEqual(new Uint8Array([1, 2, 3, 4]));
  });

  it('accepts unpadded canonical standard base64 only', () => {
    expect(encodeB64(new Uint8Array([0xfb, 0xff]))).toBe('+/8');
    expect(decodeB64('+/8')).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(decodeB64('+/8=')).toBeNull(); // padded
    expect(decodeB64('-_8')).toBeNull(); // base64url
    expect(decodeB64('+/9')).toBeNull(); // unused bits set
    expect(decodeB64('AQIDB')).toBeNull(); // impossible length
    expect(decodeB64('AQ ID')).toBeNull();
  });
});

describe('constantTimeEqual', () => {
  it('compares bytes', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(), new Uint8Array())).toBe(true);
  });
});
