import { twoFactorMethods } from '../accounts/account-resource.js';
import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import { otpExhaustedError, verifyOtpCode } from '../otp/verify-otp-code.js';
import type { AccountRecord, OtpChannel } from '../../ports.js';
import { consumeRecoveryCode, normalizeRecoveryCode } from '../recovery-codes/generate-recovery-codes.js';
import { normalizeTotpCode, verifyTotpCode } from '../totp/totp-code.js';
import { INVALID_TWO_FACTOR } from './current-second-factor.js';
import { secondFactorThrottle } from './throttle.js';

/** What a caller presents as its second factor: a code (of `method`), or a recovery code. */
export interface SecondFactorProof {
  /**
   * A TOTP, or an email/SMS code that was sent for this login (`method` says which). A recovery code
   * typed here (`xxxxx-xxxxx-xxxxx`, never six digits) is taken as one.
   */
  code?: string | undefined;
  /** One of the account's recovery codes; used up when accepted. */
  recoveryCode?: string | undefined;
  /** What `code` is. Default: `totp` when the account has it, else its first enabled code channel. */
  method?: 'totp' | 'email' | 'sms' | undefined;
  /** The caller's address: each client has its own budget on top of the account's shared one. */
  ip?: string | null | undefined;
}

/**
 * RFC 8176 `amr` values of the second factor: `otp` for a TOTP, an email code and a recovery code (all
 * one-time passwords; RFC 8176 has no value for email or for recovery codes), `sms` for an SMS code.
 * A session opened with two factors also carries `mfa`: see {@link withSecondFactor}.
 */
export type SecondFactorAmr = ['otp'] | ['sms'];

/**
 * The one place a second factor is checked, for every path that signs in (password login, its
 * second step, password reset). In order:
 *
 * 1. The account's second-factor throttle counts the attempt up front (5 wrong proofs per 15 minutes
 *    and 20 per day, shared by every route that takes a code): out of attempts → `rate_limited`, before
 *    any code work.
 * 2. A recovery code, when given (or typed as `code`), is checked and used up; else `code` is checked as
 *    a TOTP (single use per time step) or as the email/SMS code sent for this login (`purpose: 'login'`).
 * 3. A correct proof clears the throttle; a wrong, replayed or unusable one (a method the account does
 *    not have, no code sent) stays counted and answers `invalid_two_factor`. An email/SMS code that has
 *    had its 5 wrong entries answers `rate_limited` until it expires, even when right.
 *
 * It does not record login history or emit events: the caller knows which login it is.
 *
 * @returns the `amr` values the proof adds to the session
 * @throws AuthError `rate_limited` (with `retryAfter`), `invalid_two_factor`
 * @example
 * ```ts
 * const { amr } = await verifySecondFactor(ctx, account, { code: input.twoFactorCode })
 * await openSession(ctx, account, withSecondFactor(['pwd'], amr), request)
 * ```
 */
export async function verifySecondFactor(
  ctx: AuthContext,
  account: AccountRecord,
  proof: SecondFactorProof,
): Promise<{ amr: SecondFactorAmr }> {
  const throttle = secondFactorThrottle(ctx, account, proof.ip);
  await throttle.admit();
  const amr = await checkProof(ctx, account, proof);
  if (!amr) throw new AuthError('invalid_two_factor', INVALID_TWO_FACTOR);
  await throttle.succeed();
  return { amr };
}

/** The `amr` of a session opened with `first` and then a second factor: both, and `mfa`. */
export function withSecondFactor(first: string[], second: readonly string[]): string[] {
  return [...new Set([...first, ...second, 'mfa'])];
}

async function checkProof(
  ctx: AuthContext,
  account: AccountRecord,
  proof: SecondFactorProof,
): Promise<SecondFactorAmr | null> {
  const recoveryCode = proof.recoveryCode || (proof.code && looksLikeRecoveryCode(proof.code) ? proof.code : null);
  if (recoveryCode) return (await consumeRecoveryCode(ctx, account, recoveryCode)) ? ['otp'] : null;
  if (!proof.code) return null;
  const methods = twoFactorMethods(account);
  const method = proof.method ?? methods.find((m) => m === 'totp' || m === 'email' || m === 'sms');
  if (!method || !methods.includes(method)) return null;
  if (method === 'totp') return (await verifyTotpCode(ctx, account, proof.code)) ? ['otp'] : null;
  const channel: OtpChannel = method;
  const result = await verifyOtpCode(ctx, account, channel, 'login', proof.code);
  if (result === 'exhausted') throw await otpExhaustedError(ctx, account, channel, 'login');
  if (result !== 'accepted') return null;
  return channel === 'sms' ? ['sms'] : ['otp'];
}

function looksLikeRecoveryCode(code: string): boolean {
  return normalizeTotpCode(code) === null && normalizeRecoveryCode(code) !== null;
}
