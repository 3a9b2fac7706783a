import type { AuthContext } from '../context.js';
import type { AccountRecord } from '../ports.js';

/**
 * The second-factor check of a password reset: a reset token proves control of the mailbox only, so an
 * account with a second factor must also present it (`twoFactorCode`).
 *
 * Today it accepts every reset, because no second factor can be enabled yet (accounts have no TOTP,
 * OTP or passkey methods). This is the seam where two-factor plugs in: when an account has a factor,
 * it must throw `AuthError('two_factor_required')` without a code and `invalid_two_factor` for a wrong
 * or replayed one. It runs after the reset token is consumed, so a failed check uses the token up.
 *
 * @throws AuthError `two_factor_required`, `invalid_two_factor` (once factors exist)
 * @example
 * ```ts
 * await assertSecondFactorForReset(ctx, account, { twoFactorCode: input.twoFactorCode })
 * ```
 */
export async function assertSecondFactorForReset(
  _ctx: AuthContext,
  _account: AccountRecord,
  _input: { twoFactorCode?: string | undefined },
): Promise<void> {
  // No factor can be enabled yet: nothing to check.
}
