/** The storage port of the auth groups (tenants). */

import type { GroupRecord, Page } from '../records.js';

/**
 * The auth groups (tenants). A group's id never changes. A group is removed only once it holds no
 * account (`delete`); `auth.deleteGroup({ force: true })` empties it first, account by account.
 */
export interface GroupRepository {
  /** The group with this id, or null. */
  find(id: string): Promise<GroupRecord | null>;
  /**
   * Inserts a group. **Atomic**: under concurrent calls with the same id exactly one succeeds; the
   * others throw `AuthError('conflict')`.
   */
  create(group: GroupRecord): Promise<void>;
  /**
   * Applies `patch`; returns the updated group, or null when it does not exist. `settings`, when the
   * patch has it, replaces the stored settings whole (the caller merges).
   */
  update(id: string, patch: Partial<Omit<GroupRecord, 'id' | 'createdAt'>>): Promise<GroupRecord | null>;
  /**
   * Every group, one page at a time, by id A to Z (code point order). Keyset-paginated: the cursor names
   * the last id handed out, so groups created or removed between two pages never make a later page
   * repeat or skip a group that existed throughout.
   *
   * @throws AuthError `validation_failed` for a malformed cursor or a `limit` that is not a positive integer
   */
  list(options: { limit: number; cursor?: string | null | undefined }): Promise<Page<GroupRecord>>;
  /**
   * Removes the group with what it still holds once its accounts are gone: its signing keys, its audit
   * log, the login history and passkey challenges that name no account, its outbox events and its
   * webhook endpoints with their deliveries and attempts. While the group holds any
   * account (whatever its status) it changes nothing and returns `not_empty`; `not_found` when there is
   * no such group. **Atomic**: all or nothing, and of concurrent calls at most
   * one returns `deleted`.
   */
  delete(id: string): Promise<'deleted' | 'not_empty' | 'not_found'>;
}
