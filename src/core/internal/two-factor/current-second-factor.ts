import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import { enabledOtpChannels } from '../otp/otp-account.js';
import { OTP_MAX_ATTEMPTS } from '../otp/otp-code.js';
import { verifyOtpCode } from '../otp/verify-otp-code.js';
import type { AccountRecord } from '../../ports.js';
import { consumeRecoveryCode } from '../recovery-codes/generate-recovery-codes.js';
import { verifyTotpCode } from '../totp/totp-code.js';
import { secondFactorThrottle } from './throttle.js';

export const INVALID_TWO_FACTOR = 'The two-factor code is not valid.';

/**
 * Checks `otp` (HTTP: the `x-otp` header) as a current second factor of a signed-in account, and uses it
 * up. The account's second-factor throttle counts the attempt *first*, before any code is looked at,
 * so no guess is ever evaluated once the budget is spent. Then, in order:
 *
 * - a current TOTP code (single use per time step: it cannot be replayed, not even at login);
 * - a code `POST /account/otp/send` sent to one of the channels enabled on `account` (tried only while
 *   one is live with attempts left; a wrong one also counts against that code);
 * - an unused recovery code (consumed).
 *
 * `account` is the account as read before the change the proof is for, so a factor being enabled by
 * the same request can never vouch for itself. A correct proof clears the throttle.
 *
 * @throws AuthError `rate_limited` (with `retryAfter`), `invalid_two_factor`
 * @example
 * ```ts
 * await verifyCurrentSecondFactor(ctx, account, request.header('x-otp'), input.ip)
 * ```
 */
export async function verifyCurrentSecondFactor(
  ctx: AuthContext,
  account: AccountRecord,
  otp: string,
  ip: string | null | undefined,
): Promise<void> {
  const throttle = secondFactorThrottle(ctx, account, ip);
  await throttle.admit();
  const valid =
    (await verifyTotpCode(ctx, account, otp)) ||
    (await matchesChannelCode(ctx, account, otp)) ||
    (await consumeRecoveryCode(ctx, account, otp));
  if (!valid) throw new AuthError('invalid_two_factor', INVALID_TWO_FACTOR);
  await throttle.succeed();
}

async function matchesChannelCode(ctx: AuthContext, account: AccountRecord, otp: string): Promise<boolean> {
  const now = ctx.clock.now();
  for (const channel of enabledOtpChannels(account)) {
    const live = await ctx.storage.otpCodes.find(account.group, account.id, channel, 'verify');
    if (!live || live.consumedAt !== null || live.expiresAt <= now || live.attempts >= OTP_MAX_ATTEMPTS) continue;
    if ((await verifyOtpCode(ctx, account, channel, 'verify', otp)) === 'accepted') return true;
  }
  return false;
}
