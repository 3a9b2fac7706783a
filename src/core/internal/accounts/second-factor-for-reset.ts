import type { AuthContext, RequestInfo } from '../../context.js';
import { AuthError } from '../../errors.js';
import type { AccountRecord } from '../../ports.js';
import { verifySecondFactorOfLogin } from '../sessions/login-second-factor.js';
import { twoFactorMethods } from './account-resource.js';

/**
 * The second-factor check of a password reset: a reset token proves control of the mailbox only, so an
 * account with a second factor that is not the mailbox (TOTP, SMS) must also present one in
 * `twoFactorCode`: a current TOTP (when the account has TOTP) or one of its recovery codes (used up).
 * Email codes alone are not asked for: they would prove the mailbox a second time. A reset has no
 * challenge step, so there is no way to have an SMS code sent: an SMS-only account resets with a
 * recovery code.
 *
 * An account whose address was never proven is asked for nothing: its factors were set up by whoever
 * registered the address, maybe not its owner, and this reset (the first proof of the mailbox) forgets
 * them (see `forgetUnprovenSetup`). Asking for them would let a squatter's TOTP lock the owner out.
 *
 * Missing → `two_factor_required` with `extra: { methods }` (no `challenge`: the reset token plays its
 * part). Wrong or replayed → `invalid_two_factor`, counted by the account's second-factor throttle (5 in a
 * row → `rate_limited`) and recorded in the login history with method `reset`. It runs before the reset
 * token is used, so a failed check leaves the token usable.
 *
 * @throws AuthError `two_factor_required`, `invalid_two_factor`, `rate_limited`
 * @example
 * ```ts
 * await assertSecondFactorForReset(ctx, account, { twoFactorCode: input.twoFactorCode })
 * ```
 */
export async function assertSecondFactorForReset(
  ctx: AuthContext,
  account: AccountRecord,
  input: RequestInfo & { twoFactorCode?: string | undefined },
): Promise<void> {
  if (!account.emailVerifiedAt) return;
  const methods = twoFactorMethods(account);
  if (!methods.some((method) => method !== 'email')) return;
  const code = input.twoFactorCode;
  if (!code) {
    throw new AuthError('two_factor_required', 'A second factor is required to reset the password.', {
      extra: { methods },
    });
  }
  // `totp`, never an email code: a recovery code is recognised by its shape (see verifySecondFactor).
  const proof = { code, method: 'totp' as const };
  await verifySecondFactorOfLogin(ctx, account, proof, { ip: input.ip, userAgent: input.userAgent, method: 'reset' });
}
