import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import type { AccountRecord } from '../../ports.js';
import type { AdminActor } from '../admin/audit.js';

/** What every per-account admin operation takes: the account, and who acts (for the logs and the audit log). */
export interface AdminAccountInput extends AdminActor {
  /** The group administered (default `default`): an account of any other group is `not_found`. */
  group?: string | undefined;
  /** The account acted on. */
  accountId: string;
}

/**
 * The account an admin operation acts on, in that group only. `deleted` accounts count only when
 * `withDeleted` (a hard delete may remove one the owner already deleted).
 *
 * @throws AuthError `not_found`
 */
export async function loadAdminTarget(
  ctx: AuthContext,
  group: string,
  accountId: string,
  options: { withDeleted?: boolean } = {},
): Promise<AccountRecord> {
  const account = await ctx.storage.accounts.findById(group, accountId);
  if (!account || (account.status === 'deleted' && !options.withDeleted)) {
    throw new AuthError('not_found', 'No such account.');
  }
  return account;
}
