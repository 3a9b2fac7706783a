import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import { groupOf } from '../lib/group-of.js';

/** The `getAccount` operation of `Auth`: the one place its documentation lives. */
export const getAccountOperation = {
  /**
   * Loads an account as its public resource.
   *
   * @throws AuthError `not_found`
   * @example
   * ```ts
   * const account = await auth.getAccount({ group: 'default', accountId: claims.sub })
   * ```
   */
  getAccount,
};

/** See {@link getAccountOperation}. */
export async function getAccount(ctx: AuthContext, input: { group?: string | undefined; accountId: string }): Promise<AccountResource> {
  const account = await ctx.storage.accounts.findById(groupOf(input), input.accountId);
  if (!account) throw new AuthError('not_found', 'No such account.');
  return toAccountResource(account);
}
