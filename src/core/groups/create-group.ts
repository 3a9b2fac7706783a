import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { GroupRecord } from '../ports.js';
import type { AdminActor } from '../internal/admin/audit.js';
import { recordAdminAction } from '../internal/admin/audit.js';
import { normalizeEmail } from '../internal/accounts/normalize.js';
import { inTransaction } from '../internal/transaction.js';
import { createOwnerAccount, mailOwnerClaimInBackground } from '../internal/groups/group-owner.js';
import { type GroupSettingsPatch, mergeGroupSettings } from '../internal/groups/group-settings.js';
import { GROUP_ID_PATTERN } from '../internal/groups/require-group.js';

/** What `auth.createGroup` takes: the new group's id, and how it starts. */
export interface CreateGroupInput extends AdminActor {
  /** 1 to 63 lower-case letters, digits, `-` or `_`, starting with a letter or digit; it never changes. */
  id: string;
  /** A display name (default none). */
  name?: string | null;
  /** Start with self-registration closed (default false). */
  locked?: boolean;
  /** The group's own policy over the app's options (default none), validated as `updateGroup` does. */
  settings?: GroupSettingsPatch;
  /**
   * Makes the group's owner: a new account of the group with this address, no password and the
   * `admin` role, mailed a link to set its password (see docs/groups.md). Default: no owner.
   */
  ownerEmail?: string | null;
}

/** The `createGroup` operation of `Auth`: the one place its documentation lives. */
export const createGroupOperation = {
  /**
   * Creates an auth group (a tenant). Accounts, sessions and signing keys of one group are invisible to
   * every other. With `ownerEmail`, the group gets its owner at once: an account of the new group for
   * that address, holding the `admin` role, without a password; it is mailed a claim link (an
   * `account-claim` mail, valid for the `importClaimTtl` option, used at `POST /password/reset`) and
   * `account.created` is emitted. The group's
   * `ownerId` names it, so it cannot be deleted while it owns the group. `POST /groups` (root group's
   * admins, multi-group mode) calls this; with an `actorId` the creation is recorded in the root
   * group's audit log (`group.create`).
   *
   * @throws AuthError `validation_failed` for an id that is not a lower-case slug, bad settings or a
   * malformed `ownerEmail`; `conflict` when the group exists
   * @example
   * ```ts
   * await auth.createGroup({ id: 'acme', name: 'Acme Inc.' })
   * await auth.createGroup({ id: 'globex', ownerEmail: 'hank@globex.example', settings: { requireTwoFactor: true } })
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
  const settings = mergeGroupSettings(ctx.options, {}, input.settings ?? {});
  const ownerEmail = input.ownerEmail ? ownerAddress(input.ownerEmail) : null;
  const now = ctx.clock.now();
  const record: GroupRecord = {
    id: input.id,
    name: input.name ?? null,
    locked: input.locked ?? false,
    ownerId: null,
    settings,
    createdAt: now,
    updatedAt: now,
  };
  // The group, its owner, the owner's `account.created` and the audit entry are stored together.
  const { group, owner } = await inTransaction(ctx, async (tx) => {
    await tx.storage.groups.create(record);
    const owner = ownerEmail ? await createOwnerAccount(tx, record.id, ownerEmail) : null;
    const withOwner = owner ? await tx.storage.groups.update(record.id, { ownerId: owner.id }) : null;
    const group = owner ? (withOwner ?? { ...record, ownerId: owner.id }) : record;
    if (input.actorId) {
      const target = { type: 'group' as const, id: group.id };
      const details = { ownerId: group.ownerId };
      await recordAdminAction(tx, { group: tx.options.rootGroup, actor: input, action: 'group.create', target, details });
    }
    return { group, owner };
  });
  ctx.knownGroups.add(group.id);
  ctx.groupCache.forget(group.id);
  if (owner) mailOwnerClaimInBackground(ctx, owner);
  ctx.logger.info('group created', { group: group.id, actorId: input.actorId ?? null });
  return group;
}

/** The owner's address, reported on the field `ownerEmail`. */
function ownerAddress(email: string): string {
  try {
    return normalizeEmail(email);
  } catch {
    throw new AuthError('validation_failed', 'The email address is not valid.', {
      details: [{ path: 'ownerEmail', message: 'must be an email address' }],
    });
  }
}
