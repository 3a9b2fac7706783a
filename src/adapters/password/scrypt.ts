import type { PasswordHasher } from '../../core/ports.js';
import { formatPhc, parseDecimal, parsePhc } from './phc.js';
import { DEFAULT_NICENESS, loadScryptEngine, type ScryptEngine } from './scrypt-engines.js';
import { SCRYPT_BOUNDS, type ScryptParams, withinBounds } from './scrypt-params.js';

export { loadScryptEngine, nobleScryptEngine, type ScryptEngine } from './scrypt-engines.js';

/**
 * Options of {@link scryptHasher}. Every value is checked at creation: ln ≥ 10 and ln < 16·r, a work
 * buffer (128·2^ln·r bytes) of at most 64 MiB, p from 1 to 16, keyLength from 16 to 64 bytes, saltLength
 * from 8 to 64 bytes.
 */
export interface ScryptHasherOptions {
  /** log2 of the CPU/memory cost N. Default 14 (N = 16384: 16 MiB with r = 8). */
  ln?: number;
  /** Block size. Default 8. */
  r?: number;
  /** Parallelism. Default 5. */
  p?: number;
  /** Bytes of the derived key, stored as the hash. Default 32. */
  keyLength?: number;
  /** Random salt bytes per hash. Default 16. */
  saltLength?: number;
  /**
   * Hashing threads of latchkey's own (worker threads, shared by every hasher with the same options).
   * Default: the number of CPUs (`os.availableParallelism()`). `0` hashes on the libuv thread pool
   * instead, where hashes queue with `fs` and `dns` work and run at the event loop's priority.
   */
  threads?: number;
  /**
   * The hashing threads' nice value on Linux, 0–19 (default 10): while the CPU is saturated with
   * logins, the event loop still gets the CPU whenever it has work, so other requests stay fast. No
   * effect on other systems or with `threads: 0`.
   */
  niceness?: number;
}

/** N=2^14 (16 MiB), r=8, p=5: OWASP's equivalent of 2^17/8/1, measured fastest here (docs/password-hashing.md). */
const DEFAULTS: ScryptParams = { ln: 14, r: 8, p: 5, keyLength: 32 };
const DEFAULT_SALT_LENGTH = 16;

/**
 * Reads `$scrypt$ln=<ln>,r=<r>,p=<p>$<salt>$<hash>`; null when malformed or out of {@link SCRYPT_BOUNDS}.
 *
 * @example
 * ```ts
 * parseScryptHash('$scrypt$ln=14,r=8,p=5$…$…')?.params // { ln: 14, r: 8, p: 5, keyLength: 32 }
 * ```
 */
export function parseScryptHash(
  text: string,
): { params: ScryptParams; salt: Uint8Array; hash: Uint8Array } | null {
  const phc = parsePhc(text);
  if (phc?.id !== 'scrypt' || phc.version !== undefined || !phc.salt || !phc.hash) return null;
  const names = Object.keys(phc.params);
  if (names.length !== 3) return null;
  const [ln, r, p] = [phc.params.ln, phc.params.r, phc.params.p].map(parseDecimal);
  if (ln == null || r == null || p == null) return null;
  const params = { ln, r, p, keyLength: phc.hash.length };
  return withinBounds(params, phc.salt.length) ? { params, salt: phc.salt, hash: phc.hash } : null;
}

/**
 * @internal {@link scryptHasher} with the engine chosen by the caller (tests force the noble fallback).
 */
export function createScryptHasher(
  options: ScryptHasherOptions,
  getEngine: (where: { threads?: number | undefined; niceness: number }) => Promise<ScryptEngine>,
): PasswordHasher {
  const current: ScryptParams = {
    ln: options.ln ?? DEFAULTS.ln,
    r: options.r ?? DEFAULTS.r,
    p: options.p ?? DEFAULTS.p,
    keyLength: options.keyLength ?? DEFAULTS.keyLength,
  };
  const saltLength = options.saltLength ?? DEFAULT_SALT_LENGTH;
  if (!withinBounds(current, saltLength)) {
    throw new RangeError('scrypt parameters out of bounds (see SCRYPT_BOUNDS)');
  }
  const { threads, niceness = DEFAULT_NICENESS } = options;
  if (threads !== undefined && !(Number.isSafeInteger(threads) && threads >= 0 && threads <= 256)) {
    throw new RangeError('scrypt threads must be an integer from 0 to 256');
  }
  if (!(Number.isSafeInteger(niceness) && niceness >= 0 && niceness <= 19)) {
    throw new RangeError('scrypt niceness must be an integer from 0 to 19');
  }
  const where = { threads, niceness };
  const utf8 = new TextEncoder();

  return {
    async hash(password) {
      const salt = globalThis.crypto.getRandomValues(new Uint8Array(saltLength));
      const hash = await (await getEngine(where)).derive(utf8.encode(password), salt, current);
      const { ln, r, p } = current;
      return formatPhc({ id: 'scrypt', params: { ln, r, p }, salt, hash });
    },

    async verify(stored, password) {
      const parsed = parseScryptHash(stored);
      if (parsed === null || typeof password !== 'string') return false;
      const scrypt = await getEngine(where);
      const derived = await scrypt.derive(utf8.encode(password), parsed.salt, parsed.params);
      return scrypt.equal(derived, parsed.hash);
    },

    needsRehash(stored) {
      const parsed = parseScryptHash(stored)?.params;
      return (
        parsed === undefined ||
        parsed.ln !== current.ln ||
        parsed.r !== current.r ||
        parsed.p !== current.p ||
        parsed.keyLength !== current.keyLength
      );
    },

    checkHash(stored) {
      if (parseScryptHash(stored)) return null;
      return parsePhc(stored)?.id === 'scrypt' ? 'it is malformed or its cost parameters are out of the accepted bounds' : 'its format is not supported';
    },
  };
}

/**
 * A {@link PasswordHasher} using scrypt, stored as PHC strings (`$scrypt$ln=14,r=8,p=5$<salt>$<hash>`).
 * Hashing runs on threads of its own (one per CPU, at a lower priority than the event loop on Linux),
 * on the libuv thread pool with `threads: 0` or where worker threads are absent, or with @noble/hashes
 * where node:crypto is absent. Passwords are hashed as the UTF-8 bytes of the string given (the core NFKC-normalises first).
 *
 * @throws RangeError when the cost parameters are out of bounds (see {@link ScryptHasherOptions}), or
 * `threads` is not an integer from 0 to 256, or `niceness` not an integer from 0 to 19.
 * @example
 * ```ts
 * const hasher = scryptHasher(); // N=2^14, r=8, p=5, 32-byte key, 16-byte salt, a thread per CPU
 * const stored = await hasher.hash('correct horse');
 * await hasher.verify(stored, 'correct horse'); // true
 * hasher.needsRehash(stored); // false until the parameters change
 * ```
 */
export function scryptHasher(options: ScryptHasherOptions = {}): PasswordHasher {
  return createScryptHasher(options, loadScryptEngine);
}
