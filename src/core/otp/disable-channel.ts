import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import type { OtpChannel } from '../ports.js';
import { assertFactorChangeProof } from '../internal/two-factor/factor-change-proof.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { notifyFactorChange } from '../internal/two-factor/notify-factor-change.js';
import { enabledOtpChannels } from '../internal/otp/otp-account.js';
import { groupOf } from '../lib/group-of.js';
import { inTransaction } from '../internal/transaction.js';

/** What `auth.disableChannel` takes: the channel to turn off, and a current second factor as proof. */
export interface DisableChannelInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  accountId: string;
  channel: OtpChannel;
  /**
   * Proof of presence (HTTP: the `x-otp` header): a TOTP, a recovery code, or a code that
   * `sendChannelCode` sent to one of the account's enabled channels (this one included).
   */
  otp?: string | null | undefined;
  /** Only for an account that has no second factor on (nothing to turn off): its password. */
  password?: string | null | undefined;
}

/** The `disableChannel` operation of `Auth`: the one place its documentation lives. */
export const disableChannelOperation = {
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
  disableChannel,
};

/** See {@link disableChannelOperation}. */
export async function disableChannel(ctx: AuthContext, input: DisableChannelInput): Promise<AccountResource> {
  const { channel } = input;
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  await assertFactorChangeProof(ctx, account, { otp: input.otp, password: input.password, ip: input.ip });
  const wasEnabled = enabledOtpChannels(account).includes(channel);
  const enabledAt = channel === 'sms' ? account.smsOtpEnabledAt : account.emailOtpEnabledAt;
  if (!enabledAt) return toAccountResource(account);

  const now = ctx.clock.now();
  const { updated, resource } = await inTransaction(ctx, async (tx) => {
    const updated = await tx.storage.accounts.update(account.group, account.id, {
      ...(channel === 'sms' ? { smsOtpEnabledAt: null } : { emailOtpEnabledAt: null }),
      updatedAt: now,
    });
    if (!updated) throw new AuthError('not_found', 'No such account.');
    const resource = toAccountResource(updated);
    if (wasEnabled) await emit(tx, 'account.two-factor-disabled', account.group, { account: resource, method: channel });
    return { updated, resource };
  });
  if (wasEnabled) {
    notifyFactorChange(ctx, updated, `${channel === 'sms' ? 'Text message' : 'Email'} codes were turned off`);
  }
  return resource;
}
