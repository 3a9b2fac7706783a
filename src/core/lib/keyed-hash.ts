import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url, utf8 } from './encoding.js';

/**
 * HMAC-SHA-256 under a key derived from the app's `secret` and a purpose label. Short codes (6-digit
 * one-time codes, recovery codes) are stored as this, not as a plain hash: their space is small enough
 * to enumerate, so a stolen database must not be enough to test guesses offline.
 */
export type KeyedHash = (value: string) => string;

export function createKeyedHash(secret: string, purpose: string): KeyedHash {
  const key = hkdf(sha256, utf8(secret), utf8('latchkey'), utf8(purpose), 32);
  return (value) => toBase64Url(hmac(sha256, key, utf8(value)));
}
