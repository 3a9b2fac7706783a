import type { AuthContext, RequestInfo } from '../context.js';
import type { OtpChannel } from '../ports.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { sendOtpCode } from '../internal/otp/send-otp-code.js';
import { groupOf } from '../lib/group-of.js';

/** What `auth.sendChannelCode` takes: the signed-in account, and where to send its `verify` code. */
export interface SendChannelCodeInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  accountId: string;
  channel: OtpChannel;
}

/** The `sendChannelCode` operation of `Auth`: the one place its documentation lives. */
export const sendChannelCodeOperation = {
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
  sendChannelCode,
};

/** See {@link sendChannelCodeOperation}. */
export async function sendChannelCode(ctx: AuthContext, input: SendChannelCodeInput): Promise<void> {
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  await sendOtpCode(ctx, account, input.channel, 'verify', { ip: input.ip, userAgent: input.userAgent });
}
