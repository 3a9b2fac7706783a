/** The storage port of the accounts, with the filters and paging of the account search. */

import type { AccountPatch, AccountRecord, AccountStatus, Page } from '../records.js';

/** The orders of {@link AccountRepository.search}: `createdAt` newest first, `email` A to Z (by code point). */
export type AccountSearchOrder = 'createdAt' | 'email';

/** What {@link AccountRepository.search} filters on; every field given must match (AND). */
export interface AccountSearchFilter {
  /**
   * Matches an account whose normalised email starts with `q`, whose first or last name folded to lower
   * case (NFKC, then lower case) starts with `q` folded the same way, or whose id is exactly `q`.
   */
  q?: string | undefined;
  /** Email domains (lower case, without `@`): the account's email must end in `@` and one of them. */
  emailDomains?: readonly string[] | undefined;
  status?: AccountStatus | undefined;
  /** The account holds this role. */
  role?: string | undefined;
  /** true: the email is verified (`emailVerifiedAt` set); false: it is not. */
  verified?: boolean | undefined;
  /** Created at or after this time. */
  createdFrom?: Date | undefined;
  /** Created strictly before this time. */
  createdBefore?: Date | undefined;
}

/** Paging of {@link AccountRepository.search}. */
export interface AccountSearchOptions {
  /** Page size, a positive integer. */
  limit: number;
  /** A `nextCursor` of an earlier page of the same search and order. */
  cursor?: string | null | undefined;
  /** Default `createdAt`. */
  orderBy?: AccountSearchOrder | undefined;
}

/**
 * The accounts, by group. An account's email is unique within its group only: the same address may have
 * an account in each group.
 */
export interface AccountRepository {
  /**
   * Inserts an account. **Atomic**: emails are unique per group, so under concurrent calls with the same
   * `(group, email)` exactly one succeeds; the others throw `AuthError('conflict')`.
   */
  create(account: AccountRecord): Promise<void>;
  /** The account with this id in this group (whatever its status), or null. */
  findById(group: string, id: string): Promise<AccountRecord | null>;
  /**
   * The account of this group with this email, or null. latchkey passes the normalised address, so an
   * exact match is all this needs.
   */
  findByEmail(group: string, email: string): Promise<AccountRecord | null>;
  /**
   * Applies `patch` to the account and returns it, or null when it does not exist in that group.
   * A key that is absent or `undefined` leaves its field unchanged; `updatedAt` changes only when the
   * patch sets it. Changing `email` to one the group already has throws `AuthError('conflict')`
   * (**atomic**: of concurrent changes to one email, exactly one succeeds).
   */
  update(group: string, id: string, patch: AccountPatch): Promise<AccountRecord | null>;
  /**
   * Removes the account and, with it, its sessions, refresh tokens, one-time tokens, recovery codes,
   * one-time codes, passkeys, the challenges bound to it and its login history. **Atomic**: all or
   * nothing.
   */
  delete(group: string, id: string): Promise<boolean>;
  /**
   * Accounts of every group whose status is `deleted` and whose `deletedAt` is before `before`, oldest
   * deletion first, at most `limit` (the purge job's work list).
   */
  listDeletedBefore(before: Date, limit: number): Promise<AccountRecord[]>;
  /**
   * The accounts of `group` (whatever their status, unless `filter.status` says) that match `filter`,
   * one page at a time, in `options.orderBy` order with the id breaking ties. Keyset-paginated: a
   * cursor names the last row handed out, so accounts created or changed between two pages never make
   * a later page repeat or skip an account that matched throughout. Only this group's accounts are
   * ever read. Adapters should answer from indexes (email prefix, lower-cased name prefixes, the
   * creation time), not by scanning the group.
   *
   * @throws AuthError `validation_failed` for a malformed cursor, a cursor of another order, or a
   *   `limit` that is not a positive integer
   */
  search(group: string, filter: AccountSearchFilter, options: AccountSearchOptions): Promise<Page<AccountRecord>>;
  /**
   * Replay protection for TOTP: sets `totpLastUsedStep` to `step` only when TOTP is enabled
   * (`totpSecretSealed` not null) and the stored step is null or lower. **Atomic**: under concurrent calls
   * with one step exactly one returns true.
   */
  claimTotpStep(group: string, id: string, step: number): Promise<boolean>;
  /**
   * Completes a TOTP enrolment: moves `totpPendingSecretSealed` to `totpSecretSealed`, sets
   * `totpLastUsedStep = step`, `totpEnabledAt = at` and `updatedAt = at`, only when the pending secret is
   * still `pendingSecretSealed` (a newer enrolment did not replace it). **Atomic**: exactly one of
   * concurrent calls returns true.
   */
  confirmTotp(group: string, id: string, pendingSecretSealed: string, step: number, at: Date): Promise<boolean>;
}
