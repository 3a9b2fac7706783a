import { type AccountResource, toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import type { OtpChannel } from '../ports.js';
import { assertChannelStepUp, enabledOtpChannels, requireAccount } from './otp-account.js';

export interface DisableChannelInput {
  group: string;
  accountId: string;
  channel: OtpChannel;
  /**
   * Proof of presence (HTTP: the `x-otp` header): a TOTP, a recovery code, or a code that
   * `sendChannelCode` sent to one of the account's enabled channels (this one included).
   */
  otp?: string | undefined;
}

/**
 * Turns off email or SMS codes as a second factor (`DELETE /account/otp/{channel}`), after a step-up
 * proof. The phone number stays on the account, verified, and can be enabled again with a new code.
 * Emits `account.two-factor-disabled` when the channel was enabled; disabling a channel that is not
 * enabled changes nothing (but still needs the proof).
 *
 * @throws AuthError `validation_failed` (no `otp`), `invalid_two_factor`, `rate_limited`, `not_found`,
 * `account_locked`
 * @example
 * ```ts
 * await auth.sendChannelCode({ group: 'default', accountId: claims.sub, channel: 'sms' })
 * const account = await auth.disableChannel({ group: 'default', accountId: claims.sub, channel: 'sms', otp: code })
 * ```
 */
export async function disableChannel(ctx: AuthContext, input: DisableChannelInput): Promise<AccountResource> {
  const { channel } = input;
  const account = await requireAccount(ctx, input.group, input.accountId);
  await assertChannelStepUp(ctx, account, input.otp);
  const wasEnabled = enabledOtpChannels(account).includes(channel);
  const enabledAt = channel === 'sms' ? account.smsOtpEnabledAt : account.emailOtpEnabledAt;
  if (!enabledAt) return toAccountResource(account);

  const now = ctx.clock.now();
  const updated = await ctx.storage.accounts.update(account.group, account.id, {
    ...(channel === 'sms' ? { smsOtpEnabledAt: null } : { emailOtpEnabledAt: null }),
    updatedAt: now,
  });
  if (!updated) throw new AuthError('not_found', 'No such account.');
  const resource = toAccountResource(updated);
  if (wasEnabled) emit(ctx, 'account.two-factor-disabled', account.group, { account: resource, method: channel });
  return resource;
}
