import type { AuthContext } from '../context.js';
import { loadActiveAccount } from '../two-factor/load-account.js';
import { requireWebauthn } from './config.js';
import { toCredentialResource, type WebauthnCredentialResource } from './credential-resource.js';

export interface ListWebauthnCredentialsInput {
  group: string;
  /** The signed-in account: only its own passkeys are listed. */
  accountId: string;
}

/**
 * The signed-in account's passkeys, oldest first, as `{ id, name, createdAt, lastUsedAt }`.
 *
 * @throws AuthError `not_found` (passkeys not enabled, no such account), `account_locked`
 * @example
 * ```ts
 * const passkeys = await auth.listWebauthnCredentials({ group: claims.grp, accountId: claims.sub })
 * ```
 */
export async function listWebauthnCredentials(
  ctx: AuthContext,
  input: ListWebauthnCredentialsInput,
): Promise<WebauthnCredentialResource[]> {
  requireWebauthn(ctx);
  const account = await loadActiveAccount(ctx, input.group, input.accountId);
  const records = await ctx.storage.webauthnCredentials.listByAccount(account.group, account.id);
  return records.map(toCredentialResource);
}
