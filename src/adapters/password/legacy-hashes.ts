import { decodeB64, parseDecimal, parsePhc } from './phc.js';

/**
 * The password hashes of other systems that latchkey reads when accounts are imported (bcrypt, PHC
 * argon2 and PBKDF2), their cost bounds, and nothing else: parsing here is strict and never throws.
 * {@link importedHashes} verifies them; this file only says what a string asks for.
 */

/** A bcrypt hash: `$2a$`, `$2b$` or `$2y$`, cost, then 22 characters of salt and 31 of hash. */
export interface BcryptHash {
  kind: 'bcrypt';
  cost: number;
  /** The whole string, which bcrypt implementations take as it is. */
  text: string;
}

/** A PHC argon2 hash (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
export interface Argon2Hash {
  kind: 'argon2';
  variant: 'argon2id' | 'argon2i' | 'argon2d';
  version: number;
  /** Memory in KiB. */
  m: number;
  t: number;
  p: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

/** A PBKDF2 hash, PHC (`$pbkdf2-sha256$i=…[,l=…]$salt$hash`) or passlib (`$pbkdf2-sha256$rounds$salt$hash`). */
export interface Pbkdf2Hash {
  kind: 'pbkdf2';
  digest: 'sha256' | 'sha512';
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

/** A hash of another system that latchkey can verify. */
export type LegacyHash = BcryptHash | Argon2Hash | Pbkdf2Hash;

/**
 * The costs an imported hash may ask for. A stored hash is untrusted input: one with larger costs would
 * make every login attempt on it (and every attempt at the import) a denial of service.
 *
 * @example
 * ```ts
 * LEGACY_HASH_BOUNDS.bcrypt.maxCost // 14
 * ```
 */
export const LEGACY_HASH_BOUNDS = {
  bcrypt: { minCost: 4, maxCost: 14 },
  /** Memory in KiB (64 MiB), passes, lanes; `maxWork` bounds m·t (64 MiB × 4 passes). */
  argon2: { maxMemory: 65_536, maxPasses: 10, maxLanes: 16, maxWork: 262_144, minSalt: 8, maxSalt: 64, minHash: 16, maxHash: 64 },
  pbkdf2: { minIterations: 1, maxIterations: 2_000_000, minSalt: 1, maxSalt: 64, minHash: 16, maxHash: 64 },
} as const;

/** The result of {@link parseLegacyHash}: the hash, or why it cannot be used (never quoting it). */
export type LegacyHashParse = { ok: true; hash: LegacyHash } | { ok: false; reason: string } | null;

const BCRYPT = /^\$(2[aby])\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const OUT_OF_BOUNDS = 'its cost parameters are out of the accepted bounds';

/**
 * Reads a bcrypt, argon2 or PBKDF2 hash. `null` when the string is none of these formats (it may be
 * another hasher's), `{ ok: false, reason }` when it claims one of them but is malformed or asks for
 * costs beyond {@link LEGACY_HASH_BOUNDS}.
 *
 * @example
 * ```ts
 * parseLegacyHash('$2b$10$…') // { ok: true, hash: { kind: 'bcrypt', cost: 10, text: '$2b$10$…' } }
 * parseLegacyHash('$2b$31$…') // { ok: false, reason: 'its cost parameters are out of the accepted bounds' }
 * parseLegacyHash('$scrypt$…') // null
 * ```
 */
export function parseLegacyHash(text: string): LegacyHashParse {
  if (typeof text !== 'string' || text.length > 1024) return null;
  if (/^\$2[a-z]?\$/.test(text)) return parseBcrypt(text);
  if (/^\$argon2(id|i|d)\$/.test(text)) return parseArgon2(text);
  if (/^\$pbkdf2-sha(256|512)\$/.test(text)) return parsePbkdf2(text);
  return null;
}

function parseBcrypt(text: string): LegacyHashParse {
  const match = BCRYPT.exec(text);
  if (!match) return { ok: false, reason: 'it is not a well-formed bcrypt hash ($2a$, $2b$ or $2y$)' };
  const cost = Number(match[2]);
  const { minCost, maxCost } = LEGACY_HASH_BOUNDS.bcrypt;
  if (cost < minCost || cost > maxCost) return { ok: false, reason: OUT_OF_BOUNDS };
  return { ok: true, hash: { kind: 'bcrypt', cost, text } };
}

function parseArgon2(text: string): LegacyHashParse {
  const malformed = { ok: false as const, reason: 'it is not a well-formed PHC argon2 hash' };
  const phc = parsePhc(text);
  if (!phc || !phc.salt || !phc.hash) return malformed;
  const variant = phc.id as Argon2Hash['variant'];
  const version = phc.version ?? 0x10;
  const names = Object.keys(phc.params).sort().join(',');
  if ((version !== 0x10 && version !== 0x13) || names !== 'm,p,t') return malformed;
  const [m, t, p] = [phc.params.m, phc.params.t, phc.params.p].map(parseDecimal);
  if (m == null || t == null || p == null) return malformed;
  const b = LEGACY_HASH_BOUNDS.argon2;
  const within =
    t >= 1 && t <= b.maxPasses && p >= 1 && p <= b.maxLanes && m >= 8 * p && m <= b.maxMemory && m * t <= b.maxWork &&
    phc.salt.length >= b.minSalt && phc.salt.length <= b.maxSalt && phc.hash.length >= b.minHash && phc.hash.length <= b.maxHash;
  if (!within) return { ok: false, reason: OUT_OF_BOUNDS };
  return { ok: true, hash: { kind: 'argon2', variant, version, m, t, p, salt: phc.salt, hash: phc.hash } };
}

function parsePbkdf2(text: string): LegacyHashParse {
  const malformed = { ok: false as const, reason: 'it is not a well-formed PBKDF2 hash' };
  const digest = text.startsWith('$pbkdf2-sha256$') ? 'sha256' : 'sha512';
  const fields = text.split('$');
  let iterations: number | null;
  let salt: Uint8Array | null;
  let hash: Uint8Array | null;
  if (fields.length === 5 && /^\d+$/.test(fields[2]!)) {
    // passlib: `$pbkdf2-sha256$<rounds>$<salt>$<hash>` in its "adapted" base64 ('.' for '+').
    iterations = parseDecimal(fields[2]);
    salt = decodeB64(fields[3]!.replaceAll('.', '+'));
    hash = decodeB64(fields[4]!.replaceAll('.', '+'));
  } else {
    const phc = parsePhc(text);
    if (!phc || phc.version !== undefined || !phc.salt || !phc.hash) return malformed;
    const names = Object.keys(phc.params).sort().join(',');
    if (names !== 'i' && names !== 'i,l') return malformed;
    iterations = parseDecimal(phc.params.i);
    const length = phc.params.l === undefined ? phc.hash.length : parseDecimal(phc.params.l);
    if (length !== phc.hash.length) return malformed;
    salt = phc.salt;
    hash = phc.hash;
  }
  if (iterations == null || !salt || !hash) return malformed;
  const b = LEGACY_HASH_BOUNDS.pbkdf2;
  const within =
    iterations >= b.minIterations && iterations <= b.maxIterations && salt.length >= b.minSalt && salt.length <= b.maxSalt &&
    hash.length >= b.minHash && hash.length <= b.maxHash;
  if (!within) return { ok: false, reason: OUT_OF_BOUNDS };
  return { ok: true, hash: { kind: 'pbkdf2', digest, iterations, salt, hash } };
}
