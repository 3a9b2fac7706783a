import { twoFactorMethods } from '../accounts/account-resource.js';
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { AccountRecord, OtpChannel } from '../ports.js';
import { assertStepUp } from '../two-factor/step-up.js';
import { OTP_MAX_ATTEMPTS } from './otp-code.js';
import { verifyOtpCode } from './verify-otp-code.js';

/**
 * The signed-in account: `not_found` when it is gone or deleted, `account_locked` when locked (a token
 * minted just before a panic lock must not change the account's factors).
 */
export async function requireAccount(ctx: AuthContext, group: string, accountId: string): Promise<AccountRecord> {
  const account = await ctx.storage.accounts.findById(group, accountId);
  if (!account || account.status === 'deleted') throw new AuthError('not_found', 'No such account.');
  if (account.status === 'locked') throw new AuthError('account_locked', 'This account is locked.');
  return account;
}

/** The code channels the account has enabled as second factors. */
export function enabledOtpChannels(account: AccountRecord): OtpChannel[] {
  return twoFactorMethods(account).filter((m): m is OtpChannel => m === 'email' || m === 'sms');
}

/**
 * The proof of presence before an account's code channels change (disabling one, replacing the phone
 * of an enabled SMS factor). `otp` (HTTP: `x-otp`) is what {@link assertStepUp} accepts (a TOTP or a
 * recovery code), or a code that `POST /account/otp/send` sent to one of the account's *enabled*
 * channels: without the latter, an account whose only factor is SMS or email could never prove itself.
 * A channel code is only tried while one is live with attempts left, and is used up when it matches.
 * The channels are those enabled on `account` as the caller read it before its change, so a channel
 * the same request is enabling can never vouch for itself.
 *
 * @throws AuthError `validation_failed` (no `otp`), `invalid_two_factor`, `rate_limited`
 * @example
 * ```ts
 * await assertChannelStepUp(ctx, account, input.otp)
 * ```
 */
export async function assertChannelStepUp(
  ctx: AuthContext,
  account: AccountRecord,
  otp: string | undefined,
): Promise<void> {
  if (otp?.trim()) {
    const now = ctx.clock.now();
    for (const channel of enabledOtpChannels(account)) {
      const live = await ctx.storage.otpCodes.find(account.group, account.id, channel, 'verify');
      if (!live || live.consumedAt !== null || live.expiresAt <= now || live.attempts >= OTP_MAX_ATTEMPTS) continue;
      if ((await verifyOtpCode(ctx, account, channel, 'verify', otp)) === 'accepted') return;
    }
  }
  await assertStepUp(ctx, account, { otp, allowPassword: false });
}
