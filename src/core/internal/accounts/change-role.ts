import type { AuthContext } from '../../context.js';
import { emit } from '../../events/emit.js';
import { groupOf } from '../../lib/group-of.js';
import { type AdminActor, recordAdminAction } from '../admin/audit.js';
import { type AccountResource, toAccountResource } from './account-resource.js';
import { findRoleTarget, type RoleTarget, setRole } from './roles.js';
import { inTransaction } from '../transaction.js';

/** What `auth.grantRole` and `auth.revokeRole` take: the account (by id or email) and the role. */
export interface RoleInput extends RoleTarget, AdminActor {
  /** A role name: a lower-case letter, then up to 31 of `a-z`, `0-9`, `_` and `-` (`admin`). */
  role: string;
}

/**
 * Grants (`held: true`) or revokes a role and, when that changed something, emits
 * `account.role-changed` and `account.updated`. Either way the call is recorded in the audit log
 * (`role.grant` or `role.revoke`, with `details: { role, changed }`). The body of `grantRole` and `revokeRole`.
 *
 * @throws AuthError `validation_failed`, `not_found`
 */
export async function changeRole(ctx: AuthContext, input: RoleInput, held: boolean): Promise<AccountResource> {
  const group = groupOf(input);
  const target = await findRoleTarget(ctx.storage, group, input);
  // The role and its events are stored together.
  const { account, changed, resource } = await inTransaction(ctx, async (tx) => {
    const set = await setRole(tx.storage, target, input.role, held, tx.clock.now());
    const resource = toAccountResource(set.account);
    if (set.changed) {
      const change = held ? 'granted' : 'revoked';
      await emit(tx, 'account.role-changed', group, { account: resource, role: input.role, change });
      await emit(tx, 'account.updated', group, { account: resource });
    }
    return { ...set, resource };
  });
  if (changed) ctx.logger.info(`role ${held ? 'granted' : 'revoked'}`, { group, accountId: account.id, role: input.role });
  const action = held ? 'role.grant' : 'role.revoke';
  const details = { role: input.role, changed };
  await recordAdminAction(ctx, { group, actor: input, action, target: { type: 'account', id: account.id }, details });
  return resource;
}
