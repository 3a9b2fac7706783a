import type { AuthContext } from '../context.js';
import type { AccountResource } from '../internal/accounts/account-resource.js';
import { changeRole, type RoleInput } from '../internal/accounts/change-role.js';

export type { RoleInput };

/** The `grantRole` operation of `Auth`: the one place its documentation lives. */
export const grantRoleOperation = {
  /**
   * Grants a role to an account of the group, named by `accountId` or by `email`. The `admin` role
   * administers the group (the admin routes of the HTTP API); latchkey gives no meaning to any other
   * role. Idempotent: granting a role the account holds changes nothing and emits nothing. Otherwise
   * `account.role-changed` (`change: 'granted'`) and `account.updated` are emitted. Takes effect on the
   * next request: admin routes read the roles from storage every time. This is the app's (or the
   * operator's) power, with no caller check; `latchkey grant-role` does the same from the command line.
   * Every call is recorded in the audit log (`role.grant`), with `actorId` and `ip` when given.
   *
   * @throws AuthError `validation_failed` (the role name, or neither or both of `accountId` and `email`),
   *   `not_found` (no such account in the group, or deleted)
   * @example
   * ```ts
   * const account = await auth.grantRole({ email: 'ada@example.com', role: 'admin' })
   * account.roles // ['admin']
   * ```
   */
  grantRole,
};

/** See {@link grantRoleOperation}. */
export async function grantRole(ctx: AuthContext, input: RoleInput): Promise<AccountResource> {
  return changeRole(ctx, input, true);
}
