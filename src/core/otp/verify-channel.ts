import { type AccountResource, toAccountResource, twoFactorMethods } from '../internal/accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import type { AccountPatch, AccountRecord, OtpChannel } from '../ports.js';
import { forgetUnprovenSetup } from '../internal/accounts/forget-unproven-setup.js';
import { issueRecoveryCodes } from '../internal/recovery-codes/generate-recovery-codes.js';
import {
  assertFactorChangeProof,
  refuseWhileThrottled,
  requireFactorChangeProof,
} from '../internal/two-factor/factor-change-proof.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { notifyFactorChange } from '../internal/two-factor/notify-factor-change.js';
import { otpDestination } from '../internal/otp/otp-code.js';
import { requireDestination } from '../internal/otp/send-otp-code.js';
import { otpExhaustedError, verifyOtpCode } from '../internal/otp/verify-otp-code.js';
import { groupOf } from '../lib/group-of.js';
import { inTransaction } from '../internal/transaction.js';

/**
 * What `auth.verifyChannel` takes: the code sent to the channel, the owner's proof when enabling the
 * channel adds a second factor, and the caller's session, which survives an email's first proof.
 */
export interface VerifyChannelInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  accountId: string;
  channel: OtpChannel;
  /** The six-digit code `addPhone` or `sendChannelCode` sent (whitespace ignored). */
  code: string;
  /**
   * To enable the channel when the account already has a second factor (HTTP: the `x-otp` header): a
   * TOTP, a recovery code, or a code sent to another channel that was already enabled.
   */
  otp?: string | null | undefined;
  /** To enable the channel when the account has no second factor yet: its password. */
  password?: string | null | undefined;
  /**
   * The caller's session (the access token's `sid`). An email code proves the mailbox: on an address
   * that was not verified yet, every other session ends with everything set up before it (see
   * `forgetUnprovenSetup`); this one stays.
   */
  sessionId?: string | null | undefined;
}

/**
 * The account, and the recovery codes issued with the channel when the account had none: every account
 * with a second factor has a way back that does not depend on that factor. Shown once.
 */
export type VerifiedChannel = AccountResource & { recoveryCodes?: string[] };

const INVALID_CODE = 'The code is not valid.';

/** The `verifyChannel` operation of `Auth`: the one place its documentation lives. */
export const verifyChannelOperation = {
  /**
   * Proves a channel with the `verify` code sent to it and enables it as a second factor
   * (`POST /account/otp/verify`): `sms` marks the phone verified, `email` marks the address verified
   * (when it was not yet). Emits `account.two-factor-enabled` when the channel was not enabled before
   * (and `account.updated` when the email address became verified by it).
   *
   * A code proves the destination it was sent to: if the phone or email changed meanwhile, the code is
   * refused, and a change that raced with this call is undone, never left verified.
   *
   * Enabling a channel adds a way to sign in, so it also needs a proof of the owner, even right after
   * signing in (see `assertFactorChangeProof`): the `password` while the account has no second factor,
   * else `otp` (a TOTP, a recovery code, or a code of a channel enabled *before* this request: the
   * channel being enabled never vouches for itself). A channel that is already enabled needs no proof:
   * nothing is added. The throttle is consulted first; the channel's code is checked next and is used up
   * even when the proof then fails. The owner is mailed. An account that had no recovery codes gets its
   * first 10 with the answer (`recoveryCodes`, shown once).
   *
   * @throws AuthError `invalid_two_factor` (wrong, used, expired or never sent; or a wrong `otp`),
   * `rate_limited` (5 wrong codes: `retryAfter` is the time until the code expires), `validation_failed`
   * (`sms` without a phone; no proof), `invalid_credentials` (wrong password), `not_found`, `account_locked`
   * @example
   * ```ts
   * const input = { group: 'default', accountId: claims.sub, channel: 'sms' as const, code: '123456' }
   * const account = await auth.verifyChannel({ ...input, password }) // or `otp` once a factor is on
   * account.twoFactor.methods // ['sms']
   * ```
   */
  verifyChannel,
};

/** See {@link verifyChannelOperation}. */
export async function verifyChannel(ctx: AuthContext, input: VerifyChannelInput): Promise<VerifiedChannel> {
  const { channel } = input;
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  const destination = requireDestination(account, channel);
  const wasEnabled = twoFactorMethods(account).includes(channel);
  const proof = { otp: input.otp, password: input.password, ip: input.ip };
  const needsProof = !wasEnabled;
  if (needsProof) {
    requireFactorChangeProof(account, proof);
    await refuseWhileThrottled(ctx, account, proof);
  }
  const result = await verifyOtpCode(ctx, account, channel, 'verify', input.code);
  if (result === 'exhausted') throw await otpExhaustedError(ctx, account, channel, 'verify');
  if (result !== 'accepted') throw new AuthError('invalid_two_factor', INVALID_CODE);
  // `account` was read before this request changed anything: only factors enabled before it count.
  if (needsProof) await assertFactorChangeProof(ctx, account, proof);
  const emailNowVerified = channel === 'email' && !account.emailVerifiedAt;
  // What the code proves, the events that say so and the first recovery codes are stored together.
  const { updated, recoveryCodes } = await inTransaction(ctx, async (tx) => {
    const proven = await firstProofOfMailbox(tx, account, channel, input.sessionId);
    const now = tx.clock.now();
    const patch: AccountPatch =
      channel === 'sms'
        ? { phoneVerifiedAt: proven.phoneVerifiedAt ?? now, smsOtpEnabledAt: proven.smsOtpEnabledAt ?? now }
        : { emailVerifiedAt: proven.emailVerifiedAt ?? now, emailOtpEnabledAt: proven.emailOtpEnabledAt ?? now };
    const updated = await tx.storage.accounts.update(account.group, account.id, { ...patch, updatedAt: now });
    if (!updated) throw new AuthError('not_found', 'No such account.');
    // The phone or email changed between the check and the update: the new one is not proven, and
    // nothing of this request is kept.
    if (otpDestination(updated, channel) !== destination) throw new AuthError('invalid_two_factor', INVALID_CODE);

    const resource = toAccountResource(updated);
    if (emailNowVerified) await emit(tx, 'account.updated', account.group, { account: resource });
    if (wasEnabled) return { updated, recoveryCodes: null };
    await emit(tx, 'account.two-factor-enabled', account.group, { account: resource, method: channel });
    if (updated.recoveryCodesRemaining > 0) return { updated, recoveryCodes: null };
    const recoveryCodes = await issueRecoveryCodes(tx, account.group, account.id);
    return { updated: (await tx.storage.accounts.findById(account.group, account.id)) ?? updated, recoveryCodes };
  });

  const resource = toAccountResource(updated);
  if (wasEnabled) return resource;
  notifyFactorChange(ctx, updated, `${channel === 'sms' ? 'Text message' : 'Email'} codes were turned on`);
  return recoveryCodes ? { ...resource, recoveryCodes } : resource;
}

/**
 * An email code entered for an address nobody had proven yet is the first proof of the mailbox: what
 * was set up before it may be a squatter's, so it is forgotten (the caller's session stays).
 */
async function firstProofOfMailbox(
  ctx: AuthContext,
  account: AccountRecord,
  channel: OtpChannel,
  sessionId: string | null | undefined,
): Promise<AccountRecord> {
  if (channel !== 'email' || account.emailVerifiedAt) return account;
  const current = await forgetUnprovenSetup(ctx, account, { keepSessionId: sessionId ?? undefined });
  if (!current) throw new AuthError('not_found', 'No such account.');
  return current;
}
