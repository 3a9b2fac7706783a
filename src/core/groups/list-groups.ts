import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { type GroupResource, toGroupResource } from '../internal/groups/group-resource.js';
import type { Page } from '../ports.js';

/** What `auth.listGroups` takes: a page size and the cursor of the previous page. */
export interface ListGroupsInput {
  /** 1 to 100 (default 20). */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | null | undefined;
}

/** The `listGroups` operation of `Auth`: the one place its documentation lives. */
export const listGroupsOperation = {
  /**
   * Every group, by id A to Z, one page at a time (`GET /groups`, root group's admins in multi-group
   * mode). Keyset-paginated: groups made or removed between two pages never shift the later ones.
   *
   * @throws AuthError `validation_failed` (a cursor this storage did not hand out, a bad limit)
   * @example
   * ```ts
   * let page = await auth.listGroups({ limit: 50 })
   * while (page.nextCursor) page = await auth.listGroups({ limit: 50, cursor: page.nextCursor })
   * ```
   */
  listGroups,
};

/** See {@link listGroupsOperation}. */
export async function listGroups(ctx: AuthContext, input: ListGroupsInput = {}): Promise<Page<GroupResource>> {
  const limit = input.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    const message = 'The limit must be an integer from 1 to 100.';
    throw new AuthError('validation_failed', message, { details: [{ path: 'limit', message }] });
  }
  const page = await ctx.storage.groups.list({ limit, cursor: input.cursor ?? null });
  return { data: page.data.map(toGroupResource), nextCursor: page.nextCursor };
}
