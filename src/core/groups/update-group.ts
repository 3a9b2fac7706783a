import { z } from 'zod';
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { type AdminActor, recordAdminAction } from '../internal/admin/audit.js';
import { type GroupResource, toGroupResource } from '../internal/groups/group-resource.js';
import { type GroupSettingsPatch, groupSettingsPatchSchema, mergeGroupSettings } from '../internal/groups/group-settings.js';
import { requireGroup } from '../internal/groups/require-group.js';
import { groupOf } from '../lib/group-of.js';
import type { GroupRecord } from '../ports.js';

/**
 * What `PATCH /group` takes (JSON merge): `null` clears `name` or `ownerId`, removes one setting (the
 * app's option applies again), or, for `settings` itself, every setting. Unknown keys are refused.
 */
export const groupPatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).nullable().optional(),
  locked: z.boolean().optional(),
  ownerId: z.string().min(1).max(64).nullable().optional(),
  settings: groupSettingsPatchSchema.nullable().optional(),
});

/** A change to a group (`PATCH /group`, JSON merge): see `auth.updateGroup`. */
export interface GroupPatch {
  name?: string | null | undefined;
  locked?: boolean | undefined;
  /** An account of the group (not deleted), or null for no owner. */
  ownerId?: string | null | undefined;
  settings?: GroupSettingsPatch | null | undefined;
}

/** What `auth.updateGroup` takes: the group, the change, and who makes it (for the audit log). */
export interface UpdateGroupInput extends AdminActor {
  /** The group changed (default `default`). */
  group?: string | undefined;
  patch: GroupPatch;
}

/** The `updateGroup` operation of `Auth`: the one place its documentation lives. */
export const updateGroupOperation = {
  /**
   * Changes a group (`PATCH /group`): its name, its lock (a locked group refuses self-registration),
   * its owner (an account of the group that is not deleted) and its settings, merged key by key over
   * the stored ones (see `GroupSettings`; each value within the bounds of the matching option, and
   * `passwordMinLength` never below the app's `password.minLength`). This instance applies the change
   * at once; other instances within 5 seconds (their group cache). Recorded in the group's audit log
   * (`group.update`, with the changed fields); no event.
   *
   * Only the current owner may change `ownerId` (an administrator of an ownerless group may set one;
   * the app, calling without `actorId`, always may).
   *
   * @throws AuthError `validation_failed` (unknown field, a value out of bounds, an `ownerId` that is no
   * account of the group), `forbidden` (an administrator other than the owner changing `ownerId`),
   * `not_found` (unknown group)
   * @example
   * ```ts
   * await auth.updateGroup({ group: 'acme', patch: { settings: { requireTwoFactor: true, accessTokenTtl: 300 } } })
   * await auth.updateGroup({ group: 'acme', patch: { settings: { accessTokenTtl: null } } }) // back to the app's
   * ```
   */
  updateGroup,
};

/** See {@link updateGroupOperation}. */
export async function updateGroup(ctx: AuthContext, input: UpdateGroupInput): Promise<GroupResource> {
  const id = groupOf(input);
  const parsed = groupPatchSchema.safeParse(input.patch);
  if (!parsed.success) {
    throw new AuthError('validation_failed', 'The request body is not valid.', {
      details: parsed.error.issues.map((issue) => ({
        path: [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.'),
        message: issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message,
      })),
    });
  }
  const patch = parsed.data;
  const group = await requireGroup(ctx, id);
  const changes: Partial<Omit<GroupRecord, 'id' | 'createdAt'>> = {};
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.locked !== undefined) changes.locked = patch.locked;
  if (patch.ownerId !== undefined) {
    changes.ownerId = await ownerOf(ctx, id, patch.ownerId);
    if (changes.ownerId !== group.ownerId) refuseOwnerChange(group, input.actorId);
  }
  if (patch.settings !== undefined) {
    changes.settings = patch.settings === null ? {} : mergeGroupSettings(ctx.options, group.settings ?? {}, patch.settings);
  }
  const fields = changedFields(group, changes);
  if (fields.length === 0) return toGroupResource(group);
  const updated = await ctx.storage.groups.update(id, { ...changes, updatedAt: ctx.clock.now() });
  ctx.groupCache.forget(id);
  if (!updated) throw new AuthError('not_found', 'No such group.');
  await recordAdminAction(ctx, { group: id, actor: input, action: 'group.update', target: { type: 'group', id }, details: { fields } });
  ctx.logger.info('group updated', { group: id, fields: fields.join(','), actorId: input.actorId ?? null });
  return toGroupResource(updated);
}

/**
 * Ownership passes only from the owner: an administrator who is not the owner cannot take the group
 * over (the owner cannot be deleted), nor hand it to someone else. The app itself (no actor) may, and
 * so may any administrator of a group that has no owner.
 *
 * @throws AuthError `forbidden`
 */
function refuseOwnerChange(group: GroupRecord, actorId: string | null | undefined): void {
  if (actorId === undefined || actorId === null || group.ownerId === null || group.ownerId === actorId) return;
  throw new AuthError('forbidden', "Only the group's owner can hand over its ownership.");
}

/**
 * The owner an `ownerId` names: an account of the group that is not deleted.
 *
 * @throws AuthError `validation_failed` (detail `ownerId`)
 */
async function ownerOf(ctx: AuthContext, group: string, ownerId: string | null): Promise<string | null> {
  if (ownerId === null) return null;
  const account = await ctx.storage.accounts.findById(group, ownerId);
  if (!account || account.status === 'deleted') {
    throw new AuthError('validation_failed', 'The owner must be an account of this group.', {
      details: [{ path: 'ownerId', message: 'no such account in this group' }],
    });
  }
  return account.id;
}

/** The fields a change really changes (`settings.<key>` per setting), for the audit log. */
function changedFields(group: GroupRecord, changes: Partial<GroupRecord>): string[] {
  const fields: string[] = [];
  for (const key of ['name', 'locked', 'ownerId'] as const) {
    if (changes[key] !== undefined && changes[key] !== group[key]) fields.push(key);
  }
  if (changes.settings) {
    const before = group.settings ?? {};
    const keys = new Set([...Object.keys(before), ...Object.keys(changes.settings)]) as Set<keyof typeof before>;
    for (const key of keys) if (before[key] !== changes.settings[key]) fields.push(`settings.${key}`);
  }
  return fields;
}
