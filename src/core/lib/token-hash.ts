import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url, utf8 } from './encoding.js';

/**
 * SHA-256 of a high-entropy token, base64url. Tokens (refresh, reset, verification) are stored only as
 * this hash; a database leak yields nothing that can be presented. A fast hash is right here because
 * the tokens carry ≥ 128 bits of randomness, unlike passwords.
 */
export function hashToken(token: string): string {
  return toBase64Url(sha256(utf8(token)));
}
