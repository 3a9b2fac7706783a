/** The records of the append-only logs: the login history and the audit log. */

/**
 * How a login attempt proved itself: a password, a passkey, the owner's unlock with a recovery code,
 * or the second factor a password reset asks for (`reset`).
 */
export type LoginMethod = 'password' | 'refresh' | 'passkey' | 'unlock' | 'reset' | 'support';

/**
 * Who signed in on the owner's behalf: the administrator of a support session (`method: 'support'`),
 * and the address they came from.
 */
export interface LoginActor {
  /** The administrator's account id. */
  id: string;
  /** The administrator's client address; null when the adapter knew none. */
  ip: string | null;
}

/**
 * One entry of the login history: a sign-in attempt and its outcome. It feeds `auth.listLogins`, and its
 * successes tell the owner's usual addresses from a stranger's (the login throttle). The `loginHistory`
 * options bound how long it is kept.
 */
export interface LoginAttemptRecord {
  /** A ULID with the `lgn` prefix, so ids sort by time. */
  id: string;
  group: string;
  /** Null when the email matched no account. */
  accountId: string | null;
  /** The normalised email that was tried. */
  email: string | null;
  time: Date;
  /** The client address; null when the adapter knew none. */
  ip: string | null;
  userAgent: string | null;
  /** True exactly when `failureReason` is null. */
  success: boolean;
  method: LoginMethod;
  /** A stable reason code for failures (`invalid_credentials`, `rate_limited`, `account_locked` …). */
  failureReason: string | null;
  /**
   * The administrator behind a support session (`method: 'support'`); null or absent for the owner's
   * own sign-ins. The attempt's own `ip` is then null, so an administrator's address never counts as
   * one of the owner's usual addresses.
   */
  actor?: LoginActor | null;
}

/** A small JSON value: what an audit entry may carry besides its target (a role name, a count …). */
export type AuditDetails = { [key: string]: string | number | boolean | null | string[] };

/**
 * One entry of the audit log: an administrator's action on something of the group. Entries are only
 * added (and purged by age): they outlive the accounts they name, so `actorId` and `targetId` are plain
 * ids, not references.
 */
export interface AuditLogRecord {
  /** A ULID with the `aud` prefix, so ids sort by time. */
  id: string;
  group: string;
  time: Date;
  /** The administrator's account id; null when the app or the command line acted (`auth.grantRole`). */
  actorId: string | null;
  /** The administrator's client address; null when unknown. */
  actorIp: string | null;
  /** What was done: `account.lock`, `account.unlock`, `account.delete`, `role.grant`, `role.revoke` … */
  action: string;
  /** The kind of thing acted on (`account`). */
  targetType: string;
  targetId: string;
  /** A few facts about the action (the role granted …), or null. Kept small: it is stored as JSON text. */
  details: AuditDetails | null;
}
