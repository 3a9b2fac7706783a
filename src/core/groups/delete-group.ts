import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { type AdminActor, recordAdminAction } from '../internal/admin/audit.js';
import { type GroupResource, toGroupResource } from '../internal/groups/group-resource.js';
import { emptyGroup } from '../internal/groups/empty-group.js';

/** What `auth.deleteGroup` takes: the group, whether to remove its accounts too, and who acts. */
export interface DeleteGroupInput extends AdminActor {
  /** The group to remove; never the `rootGroup` option's. */
  id: string;
  /** Remove every account of the group with it, in batches (default false: refused while it has any). */
  force?: boolean | undefined;
}

/** What `auth.deleteGroup` resolves to. */
export interface DeletedGroup {
  /** The group as it was. */
  group: GroupResource;
  /** How many accounts `force` removed. */
  accountsDeleted: number;
}

/** The `deleteGroup` operation of `Auth`: the one place its documentation lives. */
export const deleteGroupOperation = {
  /**
   * Removes a group for good (`DELETE /groups/{id}`, root group's admins in multi-group mode). While
   * it holds any account (whatever its state) it is refused with `conflict`, unless `force`: then the
   * group is locked first (no new registrations), and its accounts are removed in batches of 100, each
   * with every credential, session, refresh token, code, passkey and its login history
   * (`storage.accounts.delete`; `account.deleted` is emitted for each). Last, the group goes with what
   * is left of it: its signing keys (a group made again with the same id gets new keys, so no token of
   * the old one verifies), its audit log, and its login history of unknown addresses. The root group
   * (option `rootGroup`) can never be removed (`forbidden`). Recorded in the root group's audit log
   * (`group.delete`). Other instances stop serving the group within 5 seconds (their group cache).
   *
   * @throws AuthError `forbidden` (the root group), `not_found`, `conflict` (accounts left, without `force`)
   * @example
   * ```ts
   * const { accountsDeleted } = await auth.deleteGroup({ id: 'acme', force: true })
   * ```
   */
  deleteGroup,
};

/** See {@link deleteGroupOperation}. */
export async function deleteGroup(ctx: AuthContext, input: DeleteGroupInput): Promise<DeletedGroup> {
  const { id } = input;
  if (id === ctx.options.rootGroup) throw new AuthError('forbidden', 'The root group cannot be deleted.');
  const group = await ctx.storage.groups.find(id);
  if (!group) throw new AuthError('not_found', 'No such group.');
  if (input.force && !group.locked) {
    // Registration reads the group fresh: from here on no one signs up into it.
    await ctx.storage.groups.update(id, { locked: true });
    ctx.groupCache.forget(id);
  }
  let accountsDeleted = 0;
  // A few rounds: an account made while the last batch went (an import, a registration that read the
  // group before it was locked) is caught by the next one.
  for (let round = 0; round < 5; round++) {
    if (input.force) accountsDeleted += await emptyGroup(ctx, id);
    const result = await ctx.storage.groups.delete(id);
    if (result === 'not_found') throw new AuthError('not_found', 'No such group.');
    if (result === 'deleted') {
      forgetGroup(ctx, id);
      const details = { force: input.force === true, accountsDeleted };
      await recordAdminAction(ctx, { group: ctx.options.rootGroup, actor: input, action: 'group.delete', target: { type: 'group', id }, details });
      ctx.logger.info('group deleted', { group: id, accountsDeleted, actorId: input.actorId ?? null });
      return { group: toGroupResource(group), accountsDeleted };
    }
    if (!input.force) {
      throw new AuthError('conflict', 'This group still has accounts; delete them first, or delete it with force=true.');
    }
  }
  throw new AuthError('conflict', 'Accounts keep being added to this group; try again.');
}

/** This instance forgets the group at once: its cache entry, its signing keys, its place in `knownGroups`. */
function forgetGroup(ctx: AuthContext, id: string): void {
  ctx.groupCache.forget(id);
  ctx.knownGroups.delete(id);
  ctx.keys.forget(id);
}
