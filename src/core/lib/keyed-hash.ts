import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url, utf8 } from './encoding.js';

/**
 * HMAC-SHA-256 under a key derived from the app's `secret` and a purpose label. Short codes (6-digit
 * one-time codes, recovery codes) are stored as this, not as a plain hash: their space is small enough
 * to enumerate, so a stolen database must not be enough to test guesses offline.
 *
 * Calling it hashes under the current secret (what is stored from now on); {@link KeyedHash.all} also
 * hashes under each previous secret, for values stored before `secret` was rotated.
 */
export interface KeyedHash {
  (value: string): string;
  /** The hash under the current secret, then under each previous secret, newest first. */
  all(value: string): string[];
}

/**
 * A keyed hash over `secrets`: one secret, or the current one followed by previous ones, newest first.
 *
 * @throws TypeError when `secrets` is an empty list
 * @example
 * ```ts
 * const hashCode = createKeyedHash([options.secret, ...options.previousSecrets], 'latchkey/codes')
 * const stored = hashCode(code)          // store this
 * const candidates = hashCode.all(code)  // look any of these up
 * ```
 */
export function createKeyedHash(secrets: string | readonly string[], purpose: string): KeyedHash {
  const list = typeof secrets === 'string' ? [secrets] : [...secrets];
  if (list.length === 0) throw new TypeError('createKeyedHash needs at least one secret');
  const keys = list.map((secret) => hkdf(sha256, utf8(secret), utf8('latchkey'), utf8(purpose), 32));
  const hashWith = (key: Uint8Array, value: string) => toBase64Url(hmac(sha256, key, utf8(value)));
  const hash = (value: string): string => hashWith(keys[0]!, value);
  return Object.assign(hash, { all: (value: string) => keys.map((key) => hashWith(key, value)) });
}
