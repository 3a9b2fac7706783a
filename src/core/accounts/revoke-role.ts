import type { AuthContext } from '../context.js';
import type { AccountResource } from '../internal/accounts/account-resource.js';
import { changeRole, type RoleInput } from '../internal/accounts/change-role.js';

/** The `revokeRole` operation of `Auth`: the one place its documentation lives. */
export const revokeRoleOperation = {
  /**
   * Takes a role away from an account of the group, named by `accountId` or by `email`. Idempotent:
   * revoking a role the account does not hold changes nothing and emits nothing. Otherwise
   * `account.role-changed` (`change: 'revoked'`) and `account.updated` are emitted. An admin whose
   * `admin` role is revoked is refused by the admin routes from the next request on, whatever its token
   * says. `latchkey revoke-role` does the same from the command line. Every call is recorded in the audit
   * log (`role.revoke`), with `actorId` and `ip` when given.
   *
   * @throws AuthError `validation_failed` (the role name, or neither or both of `accountId` and `email`),
   *   `not_found` (no such account in the group, or deleted)
   * @example
   * ```ts
   * await auth.revokeRole({ group: 'acme', accountId, role: 'admin' })
   * ```
   */
  revokeRole,
};

/** See {@link revokeRoleOperation}. */
export async function revokeRole(ctx: AuthContext, input: RoleInput): Promise<AccountResource> {
  return changeRole(ctx, input, false);
}
