import type { AuthContext } from '../../context.js';
import type { AuthError } from '../../errors.js';
import type { AccountRecord, OtpAttemptResult, OtpChannel, OtpPurpose } from '../../ports.js';
import { hashOtpCode, normalizeOtpCode, OTP_MAX_ATTEMPTS, otpDestination } from './otp-code.js';
import { exhaustedError } from './otp-throttle.js';

/**
 * Enters a one-time code sent by {@link sendOtpCode} for this account, channel and purpose. A primitive:
 * it returns the outcome and the caller decides what to answer.
 *
 * - `accepted`: the code is right; it is used up (of concurrent entries of it, exactly one is accepted).
 * - `rejected`: wrong; the attempt is counted. A string that is not six digits (whitespace ignored) is
 *   `rejected` without touching storage or the count: it cannot be the code, so it reveals nothing.
 * - `exhausted`: 5 wrong entries were already counted for this run of codes; even the right code is
 *   refused until the code expires (see {@link otpExhaustedError}).
 * - `missing`: no live code (never sent, used, expired, or sent to a destination the account no
 *   longer has, e.g. a phone number that was replaced).
 *
 * @example
 * ```ts
 * const result = await verifyOtpCode(ctx, account, 'sms', 'login', input.code)
 * if (result === 'exhausted') throw await otpExhaustedError(ctx, account, 'sms', 'login')
 * if (result !== 'accepted') throw new AuthError('invalid_two_factor', '…')
 * ```
 */
export async function verifyOtpCode(
  ctx: AuthContext,
  account: AccountRecord,
  channel: OtpChannel,
  purpose: OtpPurpose,
  code: string,
): Promise<OtpAttemptResult> {
  const normalized = normalizeOtpCode(code);
  if (normalized === null) return 'rejected';
  const destination = otpDestination(account, channel);
  if (!destination) return 'missing';
  const hash = hashOtpCode(ctx, account, channel, purpose, destination, normalized);
  const { group, id } = account;
  return ctx.storage.otpCodes.attempt(group, id, channel, purpose, hash, ctx.clock.now(), OTP_MAX_ATTEMPTS);
}

/**
 * The `rate_limited` error for an `exhausted` result, with `retryAfter` the seconds until the code
 * expires (at least 1): after that, a new code starts a new count.
 *
 * @example
 * ```ts
 * if (result === 'exhausted') throw await otpExhaustedError(ctx, account, 'email', 'login')
 * ```
 */
export async function otpExhaustedError(
  ctx: AuthContext,
  account: AccountRecord,
  channel: OtpChannel,
  purpose: OtpPurpose,
): Promise<AuthError> {
  const live = await ctx.storage.otpCodes.find(account.group, account.id, channel, purpose);
  const now = ctx.clock.now();
  return exhaustedError(live?.expiresAt ?? now, now);
}
