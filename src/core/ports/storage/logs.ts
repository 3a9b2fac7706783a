/** The storage ports of the append-only logs: the login history and the audit log. */

import type { AuditLogRecord, LoginAttemptRecord, Page } from '../records.js';

/** The login history: an append-only log of sign-in attempts, trimmed by retention. */
export interface LoginAttemptRepository {
  /**
   * Appends one attempt. latchkey logs a failure here and carries on: the history is an audit trail,
   * not part of the answer. Inside `Storage.transaction` a failure must leave the transaction usable
   * (the SQL storage writes under a savepoint), since the sign-in around it goes on.
   */
  record(attempt: LoginAttemptRecord): Promise<void>;
  /** An account's attempts, newest first. `cursor` is opaque, from a previous page's `nextCursor`. */
  listByAccount(
    group: string,
    accountId: string,
    options: { limit: number; cursor?: string | null },
  ): Promise<Page<LoginAttemptRecord>>;
  /**
   * The distinct `ip` values of the account's *successful* attempts at or after `since`, newest first,
   * at most `limit` of them. Failures never count, however many there are: this is how an owner's
   * usual addresses are told from a stranger's (see the login throttle).
   */
  listSuccessfulIps(group: string, accountId: string, options: { since: Date; limit: number }): Promise<string[]>;
  /**
   * Retention: removes attempts older than `before`, and attempts that matched no account
   * (`accountId` null) older than `unknownBefore`; at most `limit` rows when given. Returns how many
   * it removed. Called by `purgeDeletedAccounts`.
   */
  purge(options: { before: Date; unknownBefore: Date; limit?: number }): Promise<number>;
}

/** The audit log: an append-only record of administrators' actions, by group, trimmed by age. */
export interface AuditLogRepository {
  /**
   * Appends one entry. An id that the group already has throws `AuthError('conflict')`. As with the
   * login history, a failure inside `Storage.transaction` must leave the transaction usable.
   */
  record(entry: AuditLogRecord): Promise<void>;
  /**
   * The group's entries, newest first (time, then id, descending). `cursor` is opaque, from a previous
   * page's `nextCursor`; entries recorded after the first page never shift later pages.
   */
  list(group: string, options: { limit: number; cursor?: string | null }): Promise<Page<AuditLogRecord>>;
  /**
   * Retention: removes entries of every group older than `before`, at most `limit` of them (a positive
   * integer; any of the due ones, oldest first where the adapter can), and returns how many it removed.
   * Each batch should be short (no transaction held across the whole purge), so a large backlog is
   * drained by calling again. Safe to run concurrently: an entry removed by another caller is not
   * counted. Called by `purgeDeletedAccounts`.
   */
  purge(before: Date, limit: number): Promise<number>;
}
