import { toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { loadActiveAccount } from '../two-factor/load-account.js';
import { requireWebauthn } from './config.js';
import { NO_SUCH_PASSKEY } from './credential-resource.js';

export interface DeleteWebauthnCredentialInput {
  group: string;
  /** The signed-in account: only its own passkeys can be removed. */
  accountId: string;
  /** The credential id. */
  credentialId: string;
}

/**
 * Removes one of the signed-in account's passkeys; it can no longer sign in. Another account's passkey
 * answers exactly like one that does not exist (`not_found`) and is left alone. Emits
 * `webauthn.credential-removed`. Sessions the passkey opened stay open (end them with the session
 * routes, or a panic lock).
 *
 * @throws AuthError `not_found` (passkeys not enabled, no such account or passkey), `account_locked`
 * @example
 * ```ts
 * await auth.deleteWebauthnCredential({ group: claims.grp, accountId: claims.sub, credentialId: id })
 * ```
 */
export async function deleteWebauthnCredential(ctx: AuthContext, input: DeleteWebauthnCredentialInput): Promise<void> {
  requireWebauthn(ctx);
  const account = await loadActiveAccount(ctx, input.group, input.accountId);
  const deleted = await ctx.storage.webauthnCredentials.delete(account.group, account.id, input.credentialId);
  if (!deleted) throw new AuthError('not_found', NO_SUCH_PASSKEY);
  emit(ctx, 'webauthn.credential-removed', account.group, {
    account: toAccountResource(account),
    credentialId: input.credentialId,
  });
  ctx.logger.info('passkey removed', { group: account.group, accountId: account.id });
}
