import type { AuthContext } from '../context.js';
import { groupOf } from '../lib/group-of.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import { type AdminAccountInput, loadAdminTarget } from '../internal/accounts/admin-target.js';
import { ADMIN_LOCK_REASON, lockAndSignOut } from '../internal/accounts/lock-account.js';
import { recordAdminAction } from '../internal/admin/audit.js';

/** The `adminLockAccount` operation of `Auth`: the one place its documentation lives. */
export const adminLockAccountOperation = {
  /**
   * An administrator locks an account of the group (`POST /accounts/{id}/lock`): its state becomes
   * `locked` with reason `admin` first, then every session ends (its access and refresh tokens stop
   * working at once). While locked, a correct password answers `account_locked` on every sign-in path,
   * and neither a recovery code nor a password reset lifts it: only `adminUnlockAccount` does. Locking
   * a panic-locked account makes the lock the administrator's. Locking again is harmless. Recorded in the
   * audit log (`account.lock`, with `actorId` and `ip`). Emits
   * `account.locked` (when the lock changed) and `session.revoked` (when sessions ended). The caller's
   * right to do so is checked by the HTTP route (`auth: 'admin'`).
   *
   * @throws AuthError `not_found` (no such account in this group, or deleted)
   * @example
   * ```ts
   * const account = await auth.adminLockAccount({ group, accountId, actorId: claims.sub, ip })
   * account.state // { status: 'locked', reason: 'admin', … }
   * ```
   */
  adminLockAccount,
};

/** See {@link adminLockAccountOperation}. */
export async function adminLockAccount(ctx: AuthContext, input: AdminAccountInput): Promise<AccountResource> {
  const group = groupOf(input);
  const account = await loadAdminTarget(ctx, group, input.accountId);
  const outcome = await lockAndSignOut(ctx, account, ADMIN_LOCK_REASON);
  ctx.logger.info('account locked by an administrator', {
    group,
    accountId: account.id,
    actorId: input.actorId ?? null,
    sessionsRevoked: outcome.sessionIds.length,
  });
  const details = { sessionsRevoked: outcome.sessionIds.length };
  await recordAdminAction(ctx, { group, actor: input, action: 'account.lock', target: { type: 'account', id: account.id }, details });
  return toAccountResource(outcome.account);
}
