import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { groupOf } from '../lib/group-of.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import { type AdminAccountInput, loadAdminTarget } from '../internal/accounts/admin-target.js';
import { recordAdminAction } from '../internal/admin/audit.js';
import { inTransaction } from '../internal/transaction.js';

/** The `adminDeleteAccount` operation of `Auth`: the one place its documentation lives. */
export const adminDeleteAccountOperation = {
  /**
   * An administrator deletes an account of the group for good (`DELETE /accounts/{id}`), at once and
   * without the owner's retention period: every session is ended, then the account goes with every
   * credential, session, refresh token, one-time token and code, recovery code, passkey and its login
   * history, in one atomic storage step (`storage.accounts.delete`, the one `purgeDeletedAccounts` uses).
   * The address may register again afterwards. An account its owner already deleted can be removed too.
   * The owner of the group cannot be deleted (`conflict`). Recorded in the audit log (`account.delete`),
   * which keeps the entry after the account is gone. Emits `session.revoked` (when sessions
   * were live) and `account.deleted`; resolves the account as it was, in state `deleted`. The caller's
   * right to do so is checked by the HTTP route (`auth: 'admin'`).
   *
   * @throws AuthError `not_found` (no such account in this group), `conflict` (it owns the group)
   * @example
   * ```ts
   * const gone = await auth.adminDeleteAccount({ group, accountId, actorId: claims.sub, ip })
   * gone.state.status // 'deleted'
   * ```
   */
  adminDeleteAccount,
};

/** See {@link adminDeleteAccountOperation}. */
export async function adminDeleteAccount(ctx: AuthContext, input: AdminAccountInput): Promise<AccountResource> {
  const group = groupOf(input);
  const account = await loadAdminTarget(ctx, group, input.accountId, { withDeleted: true });
  const owned = await ctx.storage.groups.find(group);
  if (owned?.ownerId === account.id) {
    throw new AuthError('conflict', 'This account owns its group; transfer the ownership before deleting it.');
  }
  const now = ctx.clock.now();
  // Sessions first, so that listeners hear they ended; the delete then removes them with the rest.
  const reason = 'account_deleted';
  const resource = toAccountResource({
    ...account,
    status: 'deleted',
    statusReason: null,
    statusChangedAt: account.status === 'deleted' ? account.statusChangedAt : now,
    deletedAt: account.deletedAt ?? now,
  });
  // The deletion and its events are stored together.
  await inTransaction(ctx, async (tx) => {
    const sessionIds = await tx.storage.sessions.revokeAllForAccount(group, account.id, now, reason);
    if (!(await tx.storage.accounts.delete(group, account.id))) throw new AuthError('not_found', 'No such account.');
    if (sessionIds.length > 0) await emit(tx, 'session.revoked', group, { accountId: account.id, sessionIds, reason });
    await emit(tx, 'account.deleted', group, { account: resource });
  });
  await recordAdminAction(ctx, { group, actor: input, action: 'account.delete', target: { type: 'account', id: account.id } });
  ctx.logger.info('account deleted by an administrator', { group, accountId: account.id, actorId: input.actorId ?? null });
  return resource;
}
