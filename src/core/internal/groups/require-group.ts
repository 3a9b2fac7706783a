import type { AuthContext } from '../../context.js';
import { DEFAULT_GROUP } from '../../context.js';
import { AuthError, isAuthError } from '../../errors.js';
import type { GroupRecord } from '../../ports.js';

/** Group ids are URL path segments in multi-group mode. */
export const GROUP_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * Loads a group. The default group is created on first use; any other group must have been created
 * with `auth.createGroup`.
 *
 * @throws AuthError `not_found` for an unknown group
 */
export async function requireGroup(ctx: AuthContext, id: string): Promise<GroupRecord> {
  const found = await ctx.storage.groups.find(id);
  if (found) return found;
  if (id !== DEFAULT_GROUP) throw new AuthError('not_found', 'No such group.');
  const now = ctx.clock.now();
  const group: GroupRecord = { id, name: null, locked: false, ownerId: null, settings: {}, createdAt: now, updatedAt: now };
  try {
    await ctx.storage.groups.create(group);
    return group;
  } catch (error) {
    if (!isAuthError(error, 'conflict')) throw error;
    const winner = await ctx.storage.groups.find(id);
    if (!winner) throw error;
    return winner;
  }
}

/**
 * The group's record, from this instance's cache while fresh (see `GroupCache`: 5 seconds), else
 * like {@link requireGroup}.
 *
 * @throws AuthError `not_found` for an unknown group
 */
export async function cachedGroup(ctx: AuthContext, id: string): Promise<GroupRecord> {
  const hit = ctx.groupCache.get(id);
  if (hit) return hit;
  const group = await requireGroup(ctx, id);
  ctx.groupCache.set(group);
  ctx.knownGroups.add(id);
  return group;
}

/**
 * Like {@link requireGroup} but answers from the cache of {@link cachedGroup}: a group removed on
 * another instance is `not_found` here within the cache's 5 seconds.
 */
export async function ensureGroupExists(ctx: AuthContext, id: string): Promise<void> {
  await cachedGroup(ctx, id);
}
