import type { AuthContext } from '../context.js';
import { groupOf } from '../lib/group-of.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import { type AdminAccountInput, loadAdminTarget } from '../internal/accounts/admin-target.js';

export type { AdminAccountInput };

/** The `adminGetAccount` operation of `Auth`: the one place its documentation lives. */
export const adminGetAccountOperation = {
  /**
   * An administrator's view of one account of the group (`GET /accounts/{id}`), whatever its state:
   * active, locked, or deleted and awaiting its purge. It does not check that the caller is an
   * administrator: the HTTP route does (`auth: 'admin'`), and an app calling the core decides itself.
   *
   * @throws AuthError `not_found` (no such account in this group)
   * @example
   * ```ts
   * const account = await auth.adminGetAccount({ group: 'acme', accountId: 'acc_01J…' })
   * ```
   */
  adminGetAccount,
};

/** See {@link adminGetAccountOperation}. */
export async function adminGetAccount(ctx: AuthContext, input: AdminAccountInput): Promise<AccountResource> {
  return toAccountResource(await loadAdminTarget(ctx, groupOf(input), input.accountId, { withDeleted: true }));
}
