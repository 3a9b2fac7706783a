import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { GroupRecord } from '../ports.js';
import { GROUP_ID_PATTERN } from '../internal/groups/require-group.js';

/** What `auth.createGroup` takes: the new group's id, and how it starts. */
export interface CreateGroupInput {
  /** 1 to 63 lower-case letters, digits, `-` or `_`, starting with a letter or digit; it never changes. */
  id: string;
  /** A display name (default none). */
  name?: string | null;
  /** Start with self-registration closed (default false). */
  locked?: boolean;
}

/** The `createGroup` operation of `Auth`: the one place its documentation lives. */
export const createGroupOperation = {
  /**
   * Creates an auth group (a tenant). Accounts, sessions and signing keys of one group are invisible to
   * every other.
   *
   * @throws AuthError `validation_failed` for an id that is not a lower-case slug, `conflict` when it exists
   * @example
   * ```ts
   * await auth.createGroup({ id: 'acme', name: 'Acme Inc.' })
   * ```
   */
  createGroup,
};

/** See {@link createGroupOperation}. */
export async function createGroup(ctx: AuthContext, input: CreateGroupInput): Promise<GroupRecord> {
  if (!GROUP_ID_PATTERN.test(input.id)) {
    throw new AuthError('validation_failed', 'Group ids are 1–63 lower-case letters, digits, "-" or "_".', {
      details: [{ path: 'id', message: 'must match ' + GROUP_ID_PATTERN.source }],
    });
  }
  const now = ctx.clock.now();
  const group: GroupRecord = {
    id: input.id,
    name: input.name ?? null,
    locked: input.locked ?? false,
    ownerId: null,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.storage.groups.create(group);
  ctx.knownGroups.add(group.id);
  return group;
}
