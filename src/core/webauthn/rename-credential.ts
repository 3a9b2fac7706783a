import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { requireWebauthn } from '../internal/webauthn/config.js';
import {
  NO_SUCH_PASSKEY,
  normalizePasskeyName,
  toCredentialResource,
  type WebauthnCredentialResource,
} from '../internal/webauthn/credential-resource.js';
import { groupOf } from '../lib/group-of.js';

/** What `auth.renameWebauthnCredential` takes: one of the signed-in account's passkeys, and its new name. */
export interface RenameWebauthnCredentialInput {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  /** The signed-in account: only its own passkeys can be renamed. */
  accountId: string;
  /** The credential id. */
  credentialId: string;
  /** 1 to 100 characters (trimmed). */
  name: string;
}

/** The `renameWebauthnCredential` operation of `Auth`: the one place its documentation lives. */
export const renameWebauthnCredentialOperation = {
  /**
   * Renames one of the signed-in account's passkeys. Another account's passkey answers exactly like one
   * that does not exist (`not_found`).
   *
   * @throws AuthError `not_found` (passkeys not enabled, no such account or passkey), `account_locked`,
   * `validation_failed` (the name)
   * @example
   * ```ts
   * await auth.renameWebauthnCredential({ group, accountId, credentialId: id, name: 'Work laptop' })
   * ```
   */
  renameWebauthnCredential,
};

/** See {@link renameWebauthnCredentialOperation}. */
export async function renameWebauthnCredential(
  ctx: AuthContext,
  input: RenameWebauthnCredentialInput,
): Promise<WebauthnCredentialResource> {
  requireWebauthn(ctx);
  const name = normalizePasskeyName(input.name);
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  const renamed = await ctx.storage.webauthnCredentials.rename(account.group, account.id, input.credentialId, name);
  if (!renamed) throw new AuthError('not_found', NO_SUCH_PASSKEY);
  return toCredentialResource(renamed);
}
