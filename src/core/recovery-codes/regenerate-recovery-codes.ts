import { toAccountResource } from '../internal/accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { emit } from '../events/emit.js';
import { assertFactorChangeProof } from '../internal/two-factor/factor-change-proof.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { notifyFactorChange } from '../internal/two-factor/notify-factor-change.js';
import { issueRecoveryCodes } from '../internal/recovery-codes/generate-recovery-codes.js';
import { groupOf } from '../lib/group-of.js';
import { inTransaction } from '../internal/transaction.js';

/**
 * What `auth.regenerateRecoveryCodes` takes: the signed-in account, and the owner's proof (`password`
 * before any second factor is on, `otp` after).
 */
export interface RegenerateRecoveryCodesInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  accountId: string;
  /**
   * Once a second factor is on, the proof (HTTP: the `x-otp` header): a current TOTP, a code sent to an
   * enabled channel, or an unused recovery code.
   */
  otp?: string | null | undefined;
  /** While no second factor is on, the proof: the account's password. */
  password?: string | null | undefined;
}

/** The `regenerateRecoveryCodes` operation of `Auth`: the one place its documentation lives. */
export const regenerateRecoveryCodesOperation = {
  /**
   * Replaces the account's recovery codes with 10 new ones (every earlier code stops working at once).
   * Recovery codes are a way to sign in (they pass two-factor login, disable factors and unlock a
   * panic-locked account), so this needs a proof of the owner (see `assertFactorChangeProof`): once a
   * second factor is on, a current one in `otp` (a recovery code is spent, then dies with the rest); the
   * password only while none is on, since a phished password must never mint codes that then strip the
   * real factor. Emits `account.recovery-codes-regenerated` and mails the owner.
   *
   * @throws AuthError `validation_failed` (no proof), `invalid_two_factor`, `invalid_credentials`,
   * `rate_limited`, `not_found`, `account_locked`
   * @example
   * ```ts
   * const { recoveryCodes } = await auth.regenerateRecoveryCodes({ group, accountId: claims.sub, password })
   * ```
   */
  regenerateRecoveryCodes,
};

/** See {@link regenerateRecoveryCodesOperation}. */
export async function regenerateRecoveryCodes(
  ctx: AuthContext,
  input: RegenerateRecoveryCodesInput,
): Promise<{ recoveryCodes: string[] }> {
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  await assertFactorChangeProof(ctx, account, { otp: input.otp, password: input.password, ip: input.ip });

  const { recoveryCodes, updated } = await inTransaction(ctx, async (tx) => {
    const recoveryCodes = await issueRecoveryCodes(tx, account.group, account.id);
    const updated = await tx.storage.accounts.findById(account.group, account.id);
    if (updated) await emit(tx, 'account.recovery-codes-regenerated', account.group, { account: toAccountResource(updated) });
    return { recoveryCodes, updated };
  });
  if (updated) {
    notifyFactorChange(ctx, updated, 'New recovery codes were made (the old ones no longer work)');
  }
  return { recoveryCodes };
}
