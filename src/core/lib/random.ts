import { toBase64Url } from './encoding.js';

/** Bytes drawn from the CSPRNG at a time; each byte is handed out once, then zeroed. */
const POOL_BYTES = 4096;
/** Requests larger than this go to the CSPRNG directly. */
const POOLED_MAX = 256;
let pool = new Uint8Array(0);
let offset = 0;

/**
 * Cryptographically random bytes from the platform's CSPRNG. Small requests are served from a pool
 * filled 4 KiB at a time, as Node's own `randomUUID` does: one call into the CSPRNG costs several
 * microseconds whatever its size, and a refresh or a sign-in asks for a few small pieces. No byte is
 * handed out twice, and a byte handed out is wiped from the pool.
 */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`randomBytes: ${length} is not a length`);
  if (length > POOLED_MAX) return globalThis.crypto.getRandomValues(new Uint8Array(length));
  if (offset + length > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    offset = 0;
  }
  const bytes = pool.slice(offset, offset + length);
  pool.fill(0, offset, offset + length);
  offset += length;
  return bytes;
}

/** A random opaque token: `bytes` of entropy, base64url (32 bytes → 256 bits, 43 characters). */
export function randomToken(bytes = 32): string {
  return toBase64Url(randomBytes(bytes));
}
