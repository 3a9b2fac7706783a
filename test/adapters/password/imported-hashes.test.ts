import { pbkdf2Sync } from 'node:crypto';
import { argon2d, argon2i } from '@noble/hashes/argon2.js';
import bcryptjs from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { importedHashes, LEGACY_HASH_BOUNDS, parseLegacyHash } from '../../../src/adapters/password/imported-hashes.js';
import { resetLegacyEngine } from '../../../src/adapters/password/legacy-engine.js';
import { encodeB64 } from '../../../src/adapters/password/phc.js';
import { scryptHasher } from '../../../src/adapters/password/scrypt.js';

const hasher = importedHashes(scryptHasher({ ln: 10, r: 8, p: 1 }));
const salt = new Uint8Array(16).fill(3);

/**
 * Vectors from outside sources: the Argon2 reference implementation's test vectors (P-H-C/phc-winner-argon2,
 * src/test.c: "password", "somesalt", m=2^16, t=2, p=1, version 0x13), and OpenBSD / jBCrypt's bcrypt
 * test vectors.
 */
const OUTSIDE_VECTORS: Array<[string, string]> = [
  ['password', '$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA'],
  ['password', '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc'],
  ['', '$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.'],
  ['abc', '$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i'],
  ['U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'],
];

/** Hashes made here with the libraries, one per accepted format. */
function madeHere(password: string): Record<string, string> {
  const phc = (id: string, params: string, hash: Uint8Array) => `$${id}$${params}$${encodeB64(salt)}$${encodeB64(hash)}`;
  const bcrypt = bcryptjs.hashSync(password, 4);
  return {
    bcrypt2b: bcrypt,
    bcrypt2y: bcrypt.replace('$2b$', '$2y$'),
    argon2i: phc('argon2i', 'v=19$m=64,t=2,p=1', argon2i(password, salt, { m: 64, t: 2, p: 1 })),
    argon2d: phc('argon2d', 'v=19$m=64,t=1,p=2', argon2d(password, salt, { m: 64, t: 1, p: 2, dkLen: 16 })),
    pbkdf2sha256: phc('pbkdf2-sha256', 'i=1000,l=32', pbkdf2Sync(password, salt, 1000, 32, 'sha256')),
    pbkdf2sha512: phc('pbkdf2-sha512', 'i=1000', pbkdf2Sync(password, salt, 1000, 64, 'sha512')),
    passlib: `$pbkdf2-sha256$1000$${encodeB64(salt).replaceAll('+', '.')}$${encodeB64(pbkdf2Sync(password, salt, 1000, 32, 'sha256')).replaceAll('+', '.')}`,
  };
}

describe('importedHashes', () => {
  afterEach(() => resetLegacyEngine());

  for (const mode of ['worker thread', 'in-process fallback'] as const) {
    it(`verifies outside vectors and hashes made here (${mode}), and refuses wrong passwords`, async () => {
      resetLegacyEngine({ fallbackOnly: mode === 'in-process fallback' });
      for (const [password, hash] of OUTSIDE_VECTORS) {
        expect(hasher.checkHash!(hash), hash).toBeNull();
        expect(await hasher.verify(hash, password), hash).toBe(true);
        expect(await hasher.verify(hash, `${password}x`), hash).toBe(false);
        expect(hasher.needsRehash(hash)).toBe(true);
      }
      for (const [kind, hash] of Object.entries(madeHere('correct horse'))) {
        expect(hasher.checkHash!(hash), kind).toBeNull();
        expect(await hasher.verify(hash, 'correct horse'), kind).toBe(true);
        expect(await hasher.verify(hash, 'correct horsf'), kind).toBe(false);
      }
    }, 30_000);
  }

  it('hashes new passwords with the inner hasher, which then needs no rehash', async () => {
    const stored = await hasher.hash('correct horse');
    expect(stored).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(hasher.needsRehash(stored)).toBe(false);
    expect(hasher.checkHash!(stored)).toBeNull();
    expect(await hasher.verify(stored, 'correct horse')).toBe(true);
  });

  it('refuses costs beyond the bounds at import (checkHash) and at verify, without deriving', async () => {
    const big = (params: string) => `$argon2id$v=19$${params}$${encodeB64(salt)}$${encodeB64(new Uint8Array(32))}`;
    const outOfBounds = [
      '$2b$15$' + 'a'.repeat(53),
      '$2b$03$' + 'a'.repeat(53),
      big(`m=${LEGACY_HASH_BOUNDS.argon2.maxMemory * 2},t=1,p=1`),
      big('m=65536,t=5,p=1'), // m·t above maxWork
      big('m=64,t=11,p=1'),
      big('m=4096,t=1,p=17'),
      `$pbkdf2-sha256$i=2000001$${encodeB64(salt)}$${encodeB64(new Uint8Array(32))}`,
    ];
    for (const hash of outOfBounds) {
      expect(hasher.checkHash!(hash), hash).toBe('its cost parameters are out of the accepted bounds');
      const started = performance.now();
      expect(await hasher.verify(hash, 'x')).toBe(false);
      expect(performance.now() - started).toBeLessThan(50);
    }
    for (const malformed of ['$2x$10$' + 'a'.repeat(53), '$2b$10$short', '$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$aGFzaA', '$pbkdf2-sha256$i=1000$!!$!!']) {
      expect(hasher.checkHash!(malformed)).toMatch(/^it is not a well-formed/);
      expect(await hasher.verify(malformed, 'x')).toBe(false);
    }
    expect(hasher.checkHash!('$md5$abc')).toBe('its format is not supported');
    expect(hasher.checkHash!('$scrypt$ln=30,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA')).toMatch(/out of the accepted bounds/);
    expect(parseLegacyHash('$scrypt$ln=14,r=8,p=5$x$y')).toBeNull();
  });

  it('keeps the event loop free while a bcrypt hash is checked on its thread', async () => {
    const hash = bcryptjs.hashSync('pw', 10);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await hasher.verify(hash, 'pw');
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });
});
