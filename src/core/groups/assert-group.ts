import type { AuthContext } from '../context.js';
import { ensureGroupExists } from '../internal/groups/require-group.js';

/** The `assertGroup` operation of `Auth`: the one place its documentation lives. */
export const assertGroupOperation = {
  /**
   * Resolves when the group exists (the default group always does: it is made on first use).
   *
   * @throws AuthError `not_found` for an unknown group
   * @example
   * ```ts
   * await auth.assertGroup('acme')
   * ```
   */
  assertGroup,
};

/** See {@link assertGroupOperation}. */
export async function assertGroup(ctx: AuthContext, group: string): Promise<void> {
  await ensureGroupExists(ctx, group);
}
