import { toAccountResource } from '../internal/accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { issueRecoveryCodes } from '../internal/recovery-codes/generate-recovery-codes.js';
import { INVALID_TWO_FACTOR } from '../internal/two-factor/current-second-factor.js';
import {
  assertFactorChangeProof,
  refuseWhileThrottled,
  requireFactorChangeProof,
} from '../internal/two-factor/factor-change-proof.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { notifyFactorChange } from '../internal/two-factor/notify-factor-change.js';
import { matchTotpStep } from '../internal/totp/totp-code.js';
import { groupOf } from '../lib/group-of.js';
import { inTransaction } from '../internal/transaction.js';

/**
 * What `auth.confirmTotp` takes: a code of the pending authenticator secret, and the owner's proof
 * (`password` before any second factor is on, `otp` after).
 */
export interface ConfirmTotpInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  accountId: string;
  /** A code the authenticator app shows for the pending secret. */
  code: string;
  /**
   * When the account already has a second factor (HTTP: the `x-otp` header): a current code of the
   * authenticator being replaced, a recovery code, or a code sent to an enabled email/SMS channel.
   */
  otp?: string | null | undefined;
  /** When the account has no second factor yet: its password. */
  password?: string | null | undefined;
}

/** The `confirmTotp` operation of `Auth`: the one place its documentation lives. */
export const confirmTotpOperation = {
  /**
   * Finishes an enrolment started by `enrolTotp`: a code of the *pending* secret (previous, current or
   * next 30-second step) makes it the account's TOTP secret, atomically with recording that step as used
   * (so the confirming code cannot then be replayed at login). A previously enabled authenticator is
   * replaced. A fresh set of 10 recovery codes is issued (earlier codes die) and returned: show them once.
   * Emits `account.two-factor-enabled` with `method: 'totp'`.
   *
   * Adding (or replacing) an authenticator needs a proof of the owner on top of the access token, even
   * right after signing in (see `assertFactorChangeProof`): an account without a second factor gives its
   * `password`; one with a factor gives `otp` (a code of the authenticator being replaced, a recovery code,
   * or a code of an enabled channel). The password is no proof once a factor is on. The throttle is
   * consulted first; then the pending code is checked (a pure check), so a mistyped one spends no proof;
   * the proof then is. The owner is mailed about the change.
   *
   * Wrong codes of the pending secret are not throttled: whoever can call this just received the secret
   * from `enrolTotp`, so guessing would gain nothing, and counting fumbled set-ups against the login's
   * second-factor counter would only lock owners out. Wrong proofs are throttled as everywhere.
   *
   * @throws AuthError `validation_failed` with detail `{ path: 'code', message: 'no enrolment in progress' }`
   * when there is no pending secret (never enrolled, already confirmed, or TOTP disabled since), or with
   * detail `password` / `x-otp` when the proof is missing; `invalid_two_factor` for a wrong code or a wrong
   * `otp`, or when a newer enrolment or a concurrent confirmation won; `invalid_credentials` (wrong
   * password); `rate_limited`; `not_found`; `account_locked`
   * @example
   * ```ts
   * const { recoveryCodes } = await auth.confirmTotp({ group, accountId: claims.sub, code: '123456', password })
   * ```
   */
  confirmTotp,
};

/** See {@link confirmTotpOperation}. */
export async function confirmTotp(ctx: AuthContext, input: ConfirmTotpInput): Promise<{ recoveryCodes: string[] }> {
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  const pending = account.totpPendingSecretSealed;
  if (!pending) {
    throw new AuthError('validation_failed', 'There is no authenticator set-up to confirm: start one first.', {
      details: [{ path: 'code', message: 'no enrolment in progress' }],
    });
  }
  const proof = { otp: input.otp, password: input.password, ip: input.ip };
  requireFactorChangeProof(account, proof);
  await refuseWhileThrottled(ctx, account, proof);
  // A new secret has no used steps of its own: nothing to be after.
  const step = await matchTotpStep(ctx, pending, input.code, null);
  if (step === null) throw new AuthError('invalid_two_factor', INVALID_TWO_FACTOR);
  await assertFactorChangeProof(ctx, account, proof);
  // The factor, its recovery codes and the event are stored together.
  const { recoveryCodes, updated } = await inTransaction(ctx, async (tx) => {
    const confirmed = await tx.storage.accounts.confirmTotp(account.group, account.id, pending, step, tx.clock.now());
    if (!confirmed) throw new AuthError('invalid_two_factor', INVALID_TWO_FACTOR);
    const recoveryCodes = await issueRecoveryCodes(tx, account.group, account.id);
    const updated = await tx.storage.accounts.findById(account.group, account.id);
    if (updated) await emit(tx, 'account.two-factor-enabled', account.group, { account: toAccountResource(updated), method: 'totp' });
    return { recoveryCodes, updated };
  });
  if (updated) {
    const change = account.totpSecretSealed ? 'The authenticator app was replaced' : 'An authenticator app was set up';
    notifyFactorChange(ctx, updated, change);
  }
  ctx.logger.info('two-factor enabled', { group: account.group, accountId: account.id, method: 'totp' });
  return { recoveryCodes };
}
