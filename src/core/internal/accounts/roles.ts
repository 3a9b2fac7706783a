import { AuthError } from '../../errors.js';
import type { AccountRecord, Storage } from '../../ports.js';
import { lookupEmail } from './normalize.js';

/** The role that administers its group (api.md, "Administration"). */
export const ADMIN_ROLE = 'admin';

/** What a role name may be: a lower-case slug of 1 to 32 characters (`admin`, `support_agent`). */
export const ROLE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** Which account a role change names: its id, or its email address (one of the two). */
export interface RoleTarget {
  /** The account's group (default `default`). */
  group?: string | undefined;
  accountId?: string | undefined;
  email?: string | undefined;
}

/**
 * Refuses a role name that is not {@link ROLE_NAME}.
 *
 * @throws AuthError `validation_failed` (detail on `role`)
 */
export function checkRoleName(role: unknown): asserts role is string {
  if (typeof role !== 'string' || !ROLE_NAME.test(role)) {
    throw new AuthError('validation_failed', 'The role name is not valid.', {
      details: [{ path: 'role', message: 'must be a lower-case letter then up to 31 of a-z, 0-9, _ and -' }],
    });
  }
}

/**
 * The live account a role change names (by id, or by email as typed). Shared by `auth.grantRole` and
 * the `latchkey grant-role` command, which has only the storage.
 *
 * @throws AuthError `validation_failed` (neither or both of `accountId` and `email`), `not_found`
 *   (unknown, or deleted)
 */
export async function findRoleTarget(storage: Storage, group: string, target: RoleTarget): Promise<AccountRecord> {
  const byId = typeof target.accountId === 'string' && target.accountId !== '';
  const byEmail = typeof target.email === 'string' && target.email !== '';
  if (byId === byEmail) {
    throw new AuthError('validation_failed', 'Name the account by accountId or by email.', {
      details: [{ path: byId ? 'email' : 'accountId', message: byId ? 'give accountId or email, not both' : 'required' }],
    });
  }
  const account = byId
    ? await storage.accounts.findById(group, target.accountId!)
    : await storage.accounts.findByEmail(group, lookupEmail(target.email!));
  if (!account || account.status === 'deleted') throw new AuthError('not_found', 'No such account.');
  return account;
}

/** The result of {@link setRole}: the account as stored now, and whether its roles changed. */
export interface RoleChange {
  account: AccountRecord;
  changed: boolean;
}

/**
 * Grants (`held: true`) or revokes a role on a stored account. Idempotent: granting a role the account
 * holds, or revoking one it lacks, stores nothing and answers `changed: false`. Roles stay sorted, each
 * once. Not atomic against a concurrent change of the same account's roles (the last write wins), which
 * is acceptable for an operator's action.
 *
 * @throws AuthError `validation_failed` (the role name), `not_found` (the account went meanwhile)
 */
export async function setRole(
  storage: Storage,
  account: AccountRecord,
  role: string,
  held: boolean,
  now: Date,
): Promise<RoleChange> {
  checkRoleName(role);
  if (account.roles.includes(role) === held) return { account, changed: false };
  const roles = held ? [...new Set([...account.roles, role])].sort() : account.roles.filter((r) => r !== role);
  const updated = await storage.accounts.update(account.group, account.id, { roles, updatedAt: now });
  if (!updated) throw new AuthError('not_found', 'No such account.');
  return { account: updated, changed: true };
}
