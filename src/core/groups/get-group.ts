import type { AuthContext } from '../context.js';
import { type GroupResource, toGroupResource } from '../internal/groups/group-resource.js';
import { requireGroup } from '../internal/groups/require-group.js';
import { groupOf } from '../lib/group-of.js';

/** What `auth.getGroup` takes: the group (default `default`). */
export interface GetGroupInput {
  group?: string | undefined;
}

/** The `getGroup` operation of `Auth`: the one place its documentation lives. */
export const getGroupOperation = {
  /**
   * The group as `GET /group` shows it: id, name, lock, owner, its own settings (only the overrides it
   * has; an absent key follows the app's option) and times. Read from storage, not from the cache.
   *
   * @throws AuthError `not_found` (unknown group)
   * @example
   * ```ts
   * const { settings } = await auth.getGroup({ group: 'acme' })
   * settings.requireTwoFactor // true, or undefined when the app's default applies
   * ```
   */
  getGroup,
};

/** See {@link getGroupOperation}. */
export async function getGroup(ctx: AuthContext, input: GetGroupInput = {}): Promise<GroupResource> {
  return toGroupResource(await requireGroup(ctx, groupOf(input)));
}
