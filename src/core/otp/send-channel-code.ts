import type { AuthContext, RequestInfo } from '../context.js';
import type { OtpChannel } from '../ports.js';
import { loadActiveAccount } from '../two-factor/load-account.js';
import { sendOtpCode } from './send-otp-code.js';

export interface SendChannelCodeInput extends RequestInfo {
  group: string;
  accountId: string;
  channel: OtpChannel;
}

/**
 * Sends a `verify` code to the account's email address or phone (`POST /account/otp/send`): the code
 * that `verifyChannel` takes to enable the channel, and that proves presence when a channel is
 * disabled or an enabled phone replaced.
 *
 * @throws AuthError `validation_failed` (`sms` and the account has no phone), `rate_limited` (with
 * `retryAfter`), `mail_delivery_failed`, `sms_delivery_failed`, `not_found`, `account_locked`
 * @example
 * ```ts
 * await auth.sendChannelCode({ group: 'default', accountId: claims.sub, channel: 'email' })
 * ```
 */
export async function sendChannelCode(ctx: AuthContext, input: SendChannelCodeInput): Promise<void> {
  const account = await loadActiveAccount(ctx, input.group, input.accountId);
  await sendOtpCode(ctx, account, input.channel, 'verify', { ip: input.ip, userAgent: input.userAgent });
}
