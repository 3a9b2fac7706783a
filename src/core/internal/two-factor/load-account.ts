import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import type { AccountRecord } from '../../ports.js';

/**
 * The signed-in account, whatever its lock: for what a locked account may still do (lock itself again,
 * be read, have its profile edited).
 *
 * @throws AuthError `not_found` (unknown or deleted)
 */
export async function loadLiveAccount(ctx: AuthContext, group: string, accountId: string): Promise<AccountRecord> {
  const account = await ctx.storage.accounts.findById(group, accountId);
  if (!account || account.status === 'deleted') throw new AuthError('not_found', 'No such account.');
  return account;
}

/**
 * The signed-in account an operation that changes its credentials or factors works on. A locked account
 * is frozen as it is: a token minted just before a panic lock must not change how it signs in.
 *
 * @throws AuthError `not_found` (unknown or deleted), `account_locked`
 */
export async function loadActiveAccount(ctx: AuthContext, group: string, accountId: string): Promise<AccountRecord> {
  const account = await loadLiveAccount(ctx, group, accountId);
  if (account.status === 'locked') throw new AuthError('account_locked', 'This account is locked.');
  return account;
}
