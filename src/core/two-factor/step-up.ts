import { normalizePassword } from '../accounts/normalize.js';
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { AccountRecord } from '../ports.js';
import { consumeRecoveryCode } from '../recovery-codes/generate-recovery-codes.js';
import { loginThrottle } from '../sessions/throttle.js';
import { verifyTotpCode } from '../totp/totp-code.js';
import { secondFactorThrottle } from './throttle.js';

export interface StepUpProof {
  /** A current authenticator code or an unused recovery code (HTTP: the `x-otp` header). */
  otp?: string | null | undefined;
  /** The account's password, where the operation accepts it instead of a code. */
  password?: string | null | undefined;
  /** Whether the password is an acceptable proof for this operation. */
  allowPassword: boolean;
  /** The caller's address: wrong passwords count against it like failed logins. */
  ip?: string | null | undefined;
}

export const INVALID_TWO_FACTOR = 'The two-factor code is not valid.';

/**
 * Proves that the owner is present before a sensitive change, on top of the access token (which may
 * have been stolen). Accepted proofs, in this order:
 *
 * - `otp`: a current TOTP code (used up: it cannot be replayed, not even for login) or an unused recovery
 *   code (consumed). Wrong codes count against the account's second-factor throttle
 *   (`SECOND_FACTOR_RULE`, shared with login's second step); a correct one clears it.
 * - `password`, only when `allowPassword`: wrong passwords count against the login throttle (per
 *   account and per IP), so a stolen token cannot guess the password faster than the login form.
 *
 * When `otp` is given the password is not looked at. Empty strings count as absent.
 *
 * @throws AuthError `validation_failed` (no proof), `invalid_two_factor` (wrong or replayed code),
 * `invalid_credentials` (wrong password), `rate_limited` (with `retryAfter`)
 * @example
 * ```ts
 * await assertStepUp(ctx, account, { otp: input.otp, allowPassword: false })
 * ```
 */
export async function assertStepUp(ctx: AuthContext, account: AccountRecord, proof: StepUpProof): Promise<void> {
  const otp = proof.otp?.trim() ? proof.otp : undefined;
  const password = proof.allowPassword && proof.password ? proof.password : undefined;

  if (otp !== undefined) {
    const throttle = secondFactorThrottle(ctx, account.group, account.id);
    await throttle.admit();
    const valid = (await verifyTotpCode(ctx, account, otp)) || (await consumeRecoveryCode(ctx, account, otp));
    if (!valid) throw new AuthError('invalid_two_factor', INVALID_TWO_FACTOR);
    await throttle.succeed();
    return;
  }

  if (password !== undefined) {
    const throttle = loginThrottle(ctx, account.group, account.email, proof.ip);
    await throttle.admit();
    // An account without a password still pays for one verification.
    const valid = await ctx.hasher.verify(account.passwordHash ?? (await ctx.dummyHash()), normalizePassword(password));
    if (!valid || !account.passwordHash) throw new AuthError('invalid_credentials', 'The password is incorrect.');
    await throttle.succeed();
    return;
  }

  if (proof.allowPassword) {
    throw new AuthError(
      'validation_failed',
      'An x-otp header (a current authenticator code or a recovery code) or the password is required.',
      { details: [{ path: 'password', message: 'is required without an x-otp header' }] },
    );
  }
  throw new AuthError(
    'validation_failed',
    'An x-otp header (a current authenticator code or a recovery code) is required.',
    { details: [{ path: 'x-otp', message: 'is required' }] },
  );
}
