import type { AuthContext } from '../context.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { requireWebauthn } from '../internal/webauthn/config.js';
import { toCredentialResource, type WebauthnCredentialResource } from '../internal/webauthn/credential-resource.js';
import { groupOf } from '../lib/group-of.js';

/** What `auth.listWebauthnCredentials` takes: the signed-in account whose passkeys to list. */
export interface ListWebauthnCredentialsInput {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  /** The signed-in account: only its own passkeys are listed. */
  accountId: string;
}

/** The `listWebauthnCredentials` operation of `Auth`: the one place its documentation lives. */
export const listWebauthnCredentialsOperation = {
  /**
   * The signed-in account's passkeys, oldest first, as `{ id, name, createdAt, lastUsedAt }`.
   *
   * @throws AuthError `not_found` (passkeys not enabled, no such account), `account_locked`
   * @example
   * ```ts
   * const passkeys = await auth.listWebauthnCredentials({ group: claims.grp, accountId: claims.sub })
   * ```
   */
  listWebauthnCredentials,
};

/** See {@link listWebauthnCredentialsOperation}. */
export async function listWebauthnCredentials(
  ctx: AuthContext,
  input: ListWebauthnCredentialsInput,
): Promise<WebauthnCredentialResource[]> {
  requireWebauthn(ctx);
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  const records = await ctx.storage.webauthnCredentials.listByAccount(account.group, account.id);
  return records.map(toCredentialResource);
}
