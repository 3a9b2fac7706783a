import type { AuthContext } from '../../context.js';
import { randomBytes } from '../../lib/random.js';
import type { AccountRecord, OtpChannel, OtpPurpose } from '../../ports.js';

/** One-time codes are six digits… */
export const OTP_CODE_DIGITS = 6;
/** …live 10 minutes… */
export const OTP_CODE_TTL_SECONDS = 10 * 60;
/** …and allow 5 wrong entries per run of codes (resending keeps the count) before `exhausted`. */
export const OTP_MAX_ATTEMPTS = 5;

const CODE_SPACE = 10 ** OTP_CODE_DIGITS;
const UINT32_RANGE = 2 ** 32;

/** A 32-bit unsigned integer from the platform's CSPRNG. */
export function randomUint32(): number {
  const bytes = randomBytes(4);
  return new DataView(bytes.buffer).getUint32(0);
}

/**
 * A uniformly random integer in `[0, bound)`, by rejection sampling: draws at or above the largest
 * multiple of `bound` below 2^32 are thrown away, so every result is exactly as likely as every other
 * (a plain `draw % bound` would favour small values). Internal; exported for its tests.
 *
 * @example
 * ```ts
 * uniformInt(10 ** 6) // 0 … 999999, each with probability 10^-6
 * ```
 */
export function uniformInt(bound: number, nextUint32: () => number = randomUint32): number {
  if (!Number.isInteger(bound) || bound < 1 || bound > UINT32_RANGE) throw new RangeError('bound out of range');
  const limit = Math.floor(UINT32_RANGE / bound) * bound;
  for (;;) {
    const draw = nextUint32();
    if (draw < limit) return draw % bound;
  }
}

/**
 * A fresh six-digit code, leading zeros kept, uniformly random from the CSPRNG.
 *
 * @example
 * ```ts
 * generateOtpCode() // '004211'
 * ```
 */
export function generateOtpCode(nextUint32: () => number = randomUint32): string {
  return String(uniformInt(CODE_SPACE, nextUint32)).padStart(OTP_CODE_DIGITS, '0');
}

/**
 * A code as typed: whitespace dropped (`123 456`), then exactly six digits, or null.
 *
 * @example
 * ```ts
 * normalizeOtpCode(' 123 456 ') // '123456'
 * normalizeOtpCode('12345')     // null
 * ```
 */
export function normalizeOtpCode(code: string): string | null {
  if (code.length > 64) return null;
  const compact = code.replace(/\s+/g, '');
  return /^\d{6}$/.test(compact) ? compact : null;
}

/** Where a channel's codes go: the account's email address, or its phone (null when it has none). */
export function otpDestination(account: AccountRecord, channel: OtpChannel): string | null {
  return channel === 'email' ? account.email : account.phoneNumber;
}

/**
 * What storage keeps of a code: a keyed hash (HMAC under a key derived from `secret`) that binds the
 * code to its account, channel, purpose and destination. A code sent to one number therefore never
 * proves another, even if the account's phone changed in between.
 *
 * Only the current `secret` is used, also when checking, never `previousSecrets`: storage counts every
 * hash that does not match as a wrong attempt (`otpCodes.attempt`), so trying the hash under each
 * previous secret would spend several of the 5 attempts on one entry. A code sent in the 10 minutes
 * before `secret` was rotated is therefore refused afterwards (one attempt counted); its owner asks for
 * a new one.
 */
export function hashOtpCode(
  ctx: AuthContext,
  account: AccountRecord,
  channel: OtpChannel,
  purpose: OtpPurpose,
  destination: string,
  code: string,
): string {
  return ctx.hashCode(['otp', account.group, account.id, channel, purpose, destination, code].join('\u0000'));
}
