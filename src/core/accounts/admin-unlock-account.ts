import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { groupOf } from '../lib/group-of.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import { type AdminAccountInput, loadAdminTarget } from '../internal/accounts/admin-target.js';
import { unlockedPatch } from '../internal/accounts/lift-panic-lock.js';
import { recordAdminAction } from '../internal/admin/audit.js';
import { inTransaction } from '../internal/transaction.js';

/** The `adminUnlockAccount` operation of `Auth`: the one place its documentation lives. */
export const adminUnlockAccountOperation = {
  /**
   * An administrator unlocks an account of the group (`POST /accounts/{id}/unlock`), whether an
   * administrator or its owner (a panic) locked it: it becomes `active` and signs in again with its
   * password. The password is not changed (after a panic, the owner may want to change it). Unlocking
   * an active account changes nothing. Recorded in the audit log either way (`account.unlock`, with
   * `details.changed`). Emits `account.unlocked` when it was locked. The caller's right
   * to do so is checked by the HTTP route (`auth: 'admin'`).
   *
   * @throws AuthError `not_found` (no such account in this group, or deleted)
   * @example
   * ```ts
   * const account = await auth.adminUnlockAccount({ group, accountId, actorId: claims.sub, ip })
   * account.state.status // 'active'
   * ```
   */
  adminUnlockAccount,
};

/** See {@link adminUnlockAccountOperation}. */
export async function adminUnlockAccount(ctx: AuthContext, input: AdminAccountInput): Promise<AccountResource> {
  const group = groupOf(input);
  const account = await loadAdminTarget(ctx, group, input.accountId);
  const audit = (changed: boolean) =>
    recordAdminAction(ctx, { group, actor: input, action: 'account.unlock', target: { type: 'account', id: account.id }, details: { changed } });
  if (account.status !== 'locked') {
    await audit(false);
    return toAccountResource(account);
  }
  const now = ctx.clock.now();
  const resource = await inTransaction(ctx, async (tx) => {
    const updated = await tx.storage.accounts.update(group, account.id, { ...unlockedPatch(now), updatedAt: now });
    if (!updated) throw new AuthError('not_found', 'No such account.');
    const unlocked = toAccountResource(updated);
    await emit(tx, 'account.unlocked', group, { account: unlocked });
    return unlocked;
  });
  await audit(true);
  ctx.logger.info('account unlocked', {
    group,
    accountId: account.id,
    how: 'admin',
    lockedFor: account.statusReason,
    actorId: input.actorId ?? null,
  });
  return resource;
}
