import { toAccountResource } from '../internal/accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { assertFactorChangeProof } from '../internal/two-factor/factor-change-proof.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { notifyFactorChange } from '../internal/two-factor/notify-factor-change.js';
import { requireWebauthn } from '../internal/webauthn/config.js';
import { NO_SUCH_PASSKEY } from '../internal/webauthn/credential-resource.js';
import { groupOf } from '../lib/group-of.js';
import { inTransaction } from '../internal/transaction.js';

/**
 * What `auth.deleteWebauthnCredential` takes: one of the signed-in account's passkeys, and the owner's
 * proof (`password` before any second factor is on, `otp` after).
 */
export interface DeleteWebauthnCredentialInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  /** The signed-in account: only its own passkeys can be removed. */
  accountId: string;
  /** The credential id. */
  credentialId: string;
  /** Once a second factor is on (HTTP: the `x-otp` header): a current one. */
  otp?: string | null | undefined;
  /** While no second factor is on: the account's password. */
  password?: string | null | undefined;
}

/** The `deleteWebauthnCredential` operation of `Auth`: the one place its documentation lives. */
export const deleteWebauthnCredentialOperation = {
  /**
   * Removes one of the signed-in account's passkeys; it can no longer sign in. Removing a way to sign in
   * needs the same proof as adding one (see `assertFactorChangeProof`), so a stolen token cannot strip
   * the owner's passkeys; the owner is mailed. Another account's passkey answers exactly like one that
   * does not exist (`not_found`) and is left alone. Emits `webauthn.credential-removed`. Sessions the passkey opened stay open (end them with the session
   * routes, or a panic lock).
   *
   * @throws AuthError `not_found` (passkeys not enabled, no such account or passkey), `account_locked`,
   * `validation_failed` (no proof), `invalid_two_factor`, `invalid_credentials`, `rate_limited`
   * @example
   * ```ts
   * await auth.deleteWebauthnCredential({ group: claims.grp, accountId: claims.sub, credentialId: id })
   * ```
   */
  deleteWebauthnCredential,
};

/** See {@link deleteWebauthnCredentialOperation}. */
export async function deleteWebauthnCredential(ctx: AuthContext, input: DeleteWebauthnCredentialInput): Promise<void> {
  requireWebauthn(ctx);
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  const passkey = await ctx.storage.webauthnCredentials.findById(account.group, input.credentialId);
  if (!passkey || passkey.accountId !== account.id) throw new AuthError('not_found', NO_SUCH_PASSKEY);
  await assertFactorChangeProof(ctx, account, { otp: input.otp, password: input.password, ip: input.ip });
  await inTransaction(ctx, async (tx) => {
    const deleted = await tx.storage.webauthnCredentials.delete(account.group, account.id, input.credentialId);
    if (!deleted) throw new AuthError('not_found', NO_SUCH_PASSKEY);
    await emit(tx, 'webauthn.credential-removed', account.group, {
      account: toAccountResource(account),
      credentialId: input.credentialId,
    });
  });
  notifyFactorChange(ctx, account, `A passkey ("${passkey.name}") was removed`);
  ctx.logger.info('passkey removed', { group: account.group, accountId: account.id });
}
