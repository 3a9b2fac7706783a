import { toBase64Url } from './encoding.js';

/** Cryptographically random bytes from the platform's CSPRNG. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** A random opaque token: `bytes` of entropy, base64url (32 bytes → 256 bits, 43 characters). */
export function randomToken(bytes = 32): string {
  return toBase64Url(randomBytes(bytes));
}
