import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** The two halves of a password's SHA-1 in upper-case hex: only `prefix` (5 characters) leaves the process. */
export interface RangeQuery {
  prefix: string;
  suffix: string;
}

/**
 * Splits the SHA-1 of the password's UTF-8 bytes for a Pwned Passwords range query (k-anonymity: the
 * service sees one of about a million hash prefixes, never the hash).
 */
export function rangeQuery(password: string): RangeQuery {
  const hex = bytesToHex(sha1(utf8ToBytes(password))).toUpperCase();
  return { prefix: hex.slice(0, 5), suffix: hex.slice(5) };
}

/**
 * How often `suffix` was seen, by a range answer (`SUFFIX:COUNT` lines): 0 when it is not listed. The
 * padding entries that `Add-Padding: true` mixes in have a count of 0, so they never count as a breach.
 */
export function breachCount(body: string, suffix: string): number {
  for (const line of body.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim().toUpperCase() !== suffix) continue;
    const count = Number.parseInt(line.slice(colon + 1).trim(), 10);
    return Number.isSafeInteger(count) && count > 0 ? count : 0;
  }
  return 0;
}
