import { toAccountResource, twoFactorMethods } from '../internal/accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { assertFactorChangeProof } from '../internal/two-factor/factor-change-proof.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { notifyFactorChange } from '../internal/two-factor/notify-factor-change.js';
import { admitOtpSend } from '../internal/otp/otp-throttle.js';
import { normalisePhone } from '../internal/otp/phone.js';
import { deliverOtpCode } from '../internal/otp/send-otp-code.js';
import { groupOf } from '../lib/group-of.js';
import { inTransaction } from '../internal/transaction.js';

/**
 * What `auth.addPhone` takes: the number as the owner typed it (with its country when national) and,
 * to replace the phone of an enabled SMS factor, a current second factor.
 */
export interface AddPhoneInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  accountId: string;
  /** As typed: international (`+44 7400 123456`) or national with `country`. */
  phone: string;
  /** ISO 3166-1 alpha-2 code (`GB`) for a national number. */
  country?: string | null | undefined;
  /**
   * Needed only to replace the number of an enabled SMS factor (HTTP: the `x-otp` header): a TOTP, a
   * recovery code, or a code sent to one of the account's enabled channels.
   */
  otp?: string | undefined;
}

/** The `addPhone` operation of `Auth`: the one place its documentation lives. */
export const addPhoneOperation = {
  /**
   * Sets the account's phone (stored as E.164) and texts it a `verify` code; the number stays
   * unverified, and is no second factor, until `verifyChannel` accepts that code. A new number always
   * starts unverified: it drops the verification and the SMS factor of the previous one. Adding the number
   * the account already has changes nothing and just sends a new code.
   *
   * Replacing the number of an enabled SMS factor removes that factor, so it needs the same proof as
   * disabling it (`otp`); otherwise a stolen access token could take the factor over.
   *
   * @throws AuthError `validation_failed` (phone, country; `x-otp` when the SMS factor is enabled),
   * `invalid_two_factor`, `rate_limited` (with `retryAfter`), `sms_delivery_failed`, `not_found`, `account_locked`
   * @example
   * ```ts
   * await auth.addPhone({ group: 'default', accountId: claims.sub, phone: '07400 123456', country: 'GB' })
   * // then: auth.verifyChannel({ group: 'default', accountId: claims.sub, channel: 'sms', code })
   * ```
   */
  addPhone,
};

/** See {@link addPhoneOperation}. */
export async function addPhone(ctx: AuthContext, input: AddPhoneInput): Promise<void> {
  const phoneNumber = normalisePhone(input.phone, input.country);
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  const changes = account.phoneNumber !== phoneNumber;
  const hadSmsFactor = twoFactorMethods(account).includes('sms');
  if (changes && hadSmsFactor) await assertFactorChangeProof(ctx, account, { otp: input.otp, ip: input.ip });

  // Admitted before the number changes, so a throttled request changes nothing.
  const permit = await admitOtpSend(ctx, account, 'sms', 'verify', input.ip);
  let current = account;
  if (changes) {
    const updated = await inTransaction(ctx, async (tx) => {
      const now = tx.clock.now();
      const updated = await tx.storage.accounts.update(account.group, account.id, {
        phoneNumber,
        phoneVerifiedAt: null,
        smsOtpEnabledAt: null,
        updatedAt: now,
      });
      if (!updated) return null;
      const resource = toAccountResource(updated);
      await emit(tx, 'account.updated', account.group, { account: resource });
      if (hadSmsFactor) await emit(tx, 'account.two-factor-disabled', account.group, { account: resource, method: 'sms' });
      return updated;
    });
    if (!updated) {
      await permit.refund();
      throw new AuthError('not_found', 'No such account.');
    }
    current = updated;
    if (hadSmsFactor) notifyFactorChange(ctx, updated, 'The phone number of your text message codes was replaced');
  }
  await deliverOtpCode(ctx, current, 'sms', 'verify', permit);
}
