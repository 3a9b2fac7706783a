import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { type AccountResource, toAccountResource } from './account-resource.js';

/**
 * Loads an account as its public resource.
 *
 * @throws AuthError `not_found`
 * @example
 * ```ts
 * const account = await auth.getAccount({ group: 'default', accountId: claims.sub })
 * ```
 */
export async function getAccount(ctx: AuthContext, input: { group: string; accountId: string }): Promise<AccountResource> {
  const account = await ctx.storage.accounts.findById(input.group, input.accountId);
  if (!account) throw new AuthError('not_found', 'No such account.');
  return toAccountResource(account);
}
