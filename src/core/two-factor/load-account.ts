import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { AccountRecord } from '../ports.js';

/**
 * The signed-in account a two-factor operation works on.
 *
 * @throws AuthError `not_found` (unknown or deleted), `account_locked`
 */
export async function loadActiveAccount(ctx: AuthContext, group: string, accountId: string): Promise<AccountRecord> {
  const account = await ctx.storage.accounts.findById(group, accountId);
  if (!account || account.status === 'deleted') throw new AuthError('not_found', 'No such account.');
  if (account.status === 'locked') throw new AuthError('account_locked', 'This account is locked.');
  return account;
}
