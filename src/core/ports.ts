/**
 * The ports of latchkey: interfaces only. Adapters in `src/adapters` implement them; the core depends on
 * nothing else. Every method that must be atomic says so, and `runStorageConformance` proves it with
 * concurrent callers.
 *
 * Times are `Date` values with millisecond precision. Storage must hand back exactly what it was given.
 * Ids of accounts, sessions and login attempts are unique per group (latchkey makes them globally unique
 * ULIDs); creating a record whose id exists throws `AuthError('conflict')`. Parents exist before their
 * children (group → account → session → refresh token): latchkey never stores an orphan, so an adapter
 * may enforce this with foreign keys. A refresh token belongs to its session, and through it to the
 * session's account.
 */

// ---------------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------------

export interface GroupRecord {
  id: string;
  name: string | null;
  /** A locked group refuses self-registration (`registration_closed`). */
  locked: boolean;
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type AccountStatus = 'active' | 'locked' | 'deleted';

export interface AccountRecord {
  id: string;
  group: string;
  /** Normalised: trimmed, NFKC, lower-cased. Unique per group. */
  email: string;
  emailVerifiedAt: Date | null;
  emailAddedAt: Date;
  firstName: string | null;
  lastName: string | null;
  /** PHC string; null for an account that has no password (yet). */
  passwordHash: string | null;
  roles: string[];
  allowSupportLogin: boolean;
  status: AccountStatus;
  statusChangedAt: Date;
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  lastLoginAt: Date | null;
  lastLoginDevice: string | null;
  lastPasswordChangeAt: Date | null;
}

/** The fields of an account that {@link AccountRepository.update} may change. */
export type AccountPatch = Partial<Omit<AccountRecord, 'id' | 'group' | 'createdAt'>>;

export interface SessionRecord {
  id: string;
  group: string;
  accountId: string;
  /** Authentication methods used to open the session (`pwd`, `otp` …), copied into access tokens. */
  amr: string[];
  createdAt: Date;
  lastUsedAt: Date;
  /** Absolute end of the session, whatever its use. */
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token, base64url. The token itself is never stored. */
  hash: string;
  sessionId: string;
  group: string;
  accountId: string;
  createdAt: Date;
  /** Set once, when the token is exchanged for its successor. */
  rotatedAt: Date | null;
}

export type LoginMethod = 'password' | 'refresh' | 'passkey' | 'unlock' | 'reset';

export interface LoginAttemptRecord {
  id: string;
  group: string;
  /** Null when the email matched no account. */
  accountId: string | null;
  /** The normalised email that was tried. */
  email: string | null;
  time: Date;
  ip: string | null;
  userAgent: string | null;
  success: boolean;
  method: LoginMethod;
  /** A stable reason code for failures (`invalid_credentials`, `rate_limited`, `account_locked` …). */
  failureReason: string | null;
}

export interface SigningKeyRecord {
  /** The JWK `kid`. */
  id: string;
  group: string;
  /** 1 for a group's first key, +1 on every rotation; the highest is the current key. */
  generation: number;
  alg: string;
  /** Public JWK, JSON. */
  publicJwk: string;
  /** Private JWK, JSON, sealed with a key derived from the `secret` option. */
  privateJwkSealed: string;
  createdAt: Date;
}

/**
 * One page of a list. `nextCursor` is null exactly when nothing is left. Pages are stable: rows added
 * after the first page was read never shift later pages. A malformed cursor, or a `limit` that is not a
 * positive integer, throws `AuthError('validation_failed')`.
 */
/** What a one-time token proves when it is presented. */
export type OneTimeTokenPurpose = 'email_verification' | 'password_reset';

export interface OneTimeTokenRecord {
  /** SHA-256 of the token, base64url. The token itself is only ever in the email. */
  hash: string;
  purpose: OneTimeTokenPurpose;
  group: string;
  accountId: string;
  /** The address the token was mailed to: a verification token verifies this address only. */
  email: string;
  createdAt: Date;
  expiresAt: Date;
  /** Set once, when the token is used or replaced by a newer one. */
  consumedAt: Date | null;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

// ---------------------------------------------------------------------------------------------------
// Storage: one repository per aggregate
// ---------------------------------------------------------------------------------------------------

export interface GroupRepository {
  find(id: string): Promise<GroupRecord | null>;
  /**
   * Inserts a group. **Atomic**: under concurrent calls with the same id exactly one succeeds; the
   * others throw `AuthError('conflict')`.
   */
  create(group: GroupRecord): Promise<void>;
  /** Applies `patch`; returns the updated group, or null when it does not exist. */
  update(id: string, patch: Partial<Omit<GroupRecord, 'id' | 'createdAt'>>): Promise<GroupRecord | null>;
}

export interface AccountRepository {
  /**
   * Inserts an account. **Atomic**: emails are unique per group, so under concurrent calls with the same
   * `(group, email)` exactly one succeeds; the others throw `AuthError('conflict')`.
   */
  create(account: AccountRecord): Promise<void>;
  findById(group: string, id: string): Promise<AccountRecord | null>;
  findByEmail(group: string, email: string): Promise<AccountRecord | null>;
  /**
   * Applies `patch` to the account and returns it, or null when it does not exist in that group.
   * A key that is absent or `undefined` leaves its field unchanged; `updatedAt` changes only when the
   * patch sets it. Changing `email` to one the group already has throws `AuthError('conflict')`
   * (**atomic**: of concurrent changes to one email, exactly one succeeds).
   */
  update(group: string, id: string, patch: AccountPatch): Promise<AccountRecord | null>;
  /** Removes the account and, with it, its sessions, refresh tokens, one-time tokens and login history. */
  delete(group: string, id: string): Promise<boolean>;
  /**
   * Accounts of every group whose status is `deleted` and whose `deletedAt` is before `before`, oldest
   * deletion first, at most `limit` (the purge job's work list).
   */
  listDeletedBefore(before: Date, limit: number): Promise<AccountRecord[]>;
}

export interface SessionRepository {
  /**
   * Inserts a session together with its first refresh token. **Atomic**: both or neither (a token hash
   * or session id that exists throws `AuthError('conflict')` and stores nothing).
   */
  create(session: SessionRecord, firstToken: RefreshTokenRecord): Promise<void>;
  findById(group: string, id: string): Promise<SessionRecord | null>;
  /** Live and revoked sessions of an account, newest first. */
  listByAccount(group: string, accountId: string): Promise<SessionRecord[]>;
  /** Records use of a session (refresh). */
  touch(group: string, id: string, at: Date): Promise<void>;
  /**
   * Marks one session revoked. **Atomic**: returns true only for the call that revoked it; a session
   * already revoked is left as it was and the call returns false.
   */
  revoke(group: string, id: string, at: Date, reason: string): Promise<boolean>;
  /**
   * Revokes every session of the account that is not revoked yet, except `exceptId`; returns the ids it
   * revoked. **Atomic** per session: of concurrent calls, each id is returned by exactly one.
   */
  revokeAllForAccount(
    group: string,
    accountId: string,
    at: Date,
    reason: string,
    exceptId?: string,
  ): Promise<string[]>;
}

export interface RefreshTokenRepository {
  /** Inserts a token. Hashes are unique across all groups; a duplicate throws `AuthError('conflict')`. */
  create(token: RefreshTokenRecord): Promise<void>;
  findByHash(hash: string): Promise<RefreshTokenRecord | null>;
  /**
   * Exchanges the token `hash` for `next`: sets its `rotatedAt` and inserts `next`, both or neither.
   * **Atomic**: under concurrent calls with the same `hash` exactly one returns true; a token already
   * rotated is left as it was and the call returns false without inserting `next`. A `next.hash` that
   * already exists throws `AuthError('conflict')` and leaves the old token unrotated.
   */
  rotate(hash: string, next: RefreshTokenRecord, at: Date): Promise<boolean>;
}

export interface LoginAttemptRepository {
  record(attempt: LoginAttemptRecord): Promise<void>;
  /** An account's attempts, newest first. `cursor` is opaque, from a previous page's `nextCursor`. */
  listByAccount(
    group: string,
    accountId: string,
    options: { limit: number; cursor?: string | null },
  ): Promise<Page<LoginAttemptRecord>>;
}

export interface OneTimeTokenRepository {
  /**
   * Stores a new token and retires the account's earlier unconsumed tokens of the same purpose (their
   * `consumedAt` is set to `token.createdAt`): only the newest token works. **Atomic**: both or neither.
   * A hash that exists throws `AuthError('conflict')`.
   */
  issue(token: OneTimeTokenRecord): Promise<void>;
  /**
   * Uses a token: sets `consumedAt` to `at` and returns the record as it was before, only when it
   * exists, has `purpose`, is unconsumed and `expiresAt > at`; otherwise returns null and changes
   * nothing. **Atomic**: under concurrent calls with one hash exactly one caller receives the record.
   */
  consume(hash: string, purpose: OneTimeTokenPurpose, at: Date): Promise<OneTimeTokenRecord | null>;
}

export interface SigningKeyRepository {
  /** A group's keys, highest generation first. */
  listByGroup(group: string): Promise<SigningKeyRecord[]>;
  /**
   * Inserts a key. Key ids are unique across groups. **Atomic**: `(group, generation)` is unique, so when several instances create a
   * group's first key, or rotate at once, exactly one succeeds and the others throw
   * `AuthError('conflict')` (they then read the winner's key).
   */
  create(key: SigningKeyRecord): Promise<void>;
}

/**
 * Where latchkey keeps its state. Implement it to bring your own database; prove the implementation
 * with `runStorageConformance` from `latchkey/testing`.
 */
export interface Storage {
  groups: GroupRepository;
  accounts: AccountRepository;
  sessions: SessionRepository;
  refreshTokens: RefreshTokenRepository;
  loginAttempts: LoginAttemptRepository;
  signingKeys: SigningKeyRepository;
  oneTimeTokens: OneTimeTokenRepository;
}

// ---------------------------------------------------------------------------------------------------
// Other ports
// ---------------------------------------------------------------------------------------------------

/** Hashes and verifies passwords as self-describing PHC strings. Must not block the event loop. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time; false (never a throw) for a malformed hash or one whose parameters are out of bounds. */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when `hash` was made with other parameters than the hasher's current ones. */
  needsRehash(hash: string): boolean;
}

export interface RateLimitRule {
  /** Distinguishes counters (`login-account`, `login-ip`). */
  name: string;
  /** Hits allowed within `durationSeconds`. */
  points: number;
  durationSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the next hit is allowed (0 when allowed). */
  retryAfter: number;
}

/** Counts events per key. Failed logins are counted here, per account and per IP. */
export interface RateLimiter {
  /** Whether a hit would be allowed now, without counting one. */
  check(rule: RateLimitRule, key: string): Promise<RateLimitDecision>;
  /** Counts one hit and says whether it was within the limit. */
  hit(rule: RateLimitRule, key: string): Promise<RateLimitDecision>;
  /** Gives back one hit: an attempt counted up front turned out not to count (a correct password). */
  refund(rule: RateLimitRule, key: string): Promise<void>;
  /** Forgets the key's hits (after a successful login, say). */
  reset(rule: RateLimitRule, key: string): Promise<void>;
}

/** The emails latchkey sends; each has a template the app can override. */
export type MailKind =
  | 'email-verification'
  | 'password-reset'
  | 'password-changed'
  | 'account-deleted'
  | 'registration-attempt';

export interface MailMessage {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Delivers email. `send` resolves once the message was accepted for delivery and rejects otherwise. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export type LogFields = Record<string, unknown>;

/** Structured logging. latchkey never passes tokens, codes or passwords to it. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
