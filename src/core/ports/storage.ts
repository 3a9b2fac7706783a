import type {
  AccountPatch,
  AccountRecord,
  AccountStatus,
  AuditLogRecord,
  GroupRecord,
  LoginAttemptRecord,
  OneTimeTokenPurpose,
  OneTimeTokenRecord,
  OtpAttemptResult,
  OtpChannel,
  OtpCodeRecord,
  OtpPurpose,
  Page,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  WebAuthnChallengePurpose,
  WebAuthnChallengeRecord,
  WebAuthnCredentialRecord,
} from './records.js';
import type { OutboxRepository, WebhookDeliveryRepository, WebhookEndpointRepository } from './webhooks.js';

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

/** The sessions (one per sign-in on a device), by group. Sessions are revoked, never deleted, until their account goes. */
export interface SessionRepository {
  /**
   * Inserts a session together with its first refresh token. **Atomic**: both or neither (a token hash
   * or session id that exists throws `AuthError('conflict')` and stores nothing).
   */
  create(session: SessionRecord, firstToken: RefreshTokenRecord): Promise<void>;
  /** The session with this id in this group, revoked or not, or null: the caller decides whether it is alive. */
  findById(group: string, id: string): Promise<SessionRecord | null>;
  /**
   * The session with this id in this group, revoked or not, together with its account in the same
   * group (whatever its status; null when the account row is gone), or null when there is no such
   * session. What every authenticated request needs, read at once: SQL adapters answer with one query
   * (the sessions LEFT JOIN the accounts on the account id and group), not two.
   */
  findWithAccount(group: string, id: string): Promise<{ session: SessionRecord; account: AccountRecord | null } | null>;
  /** Live and revoked sessions of an account, newest first. */
  listByAccount(group: string, accountId: string): Promise<SessionRecord[]>;
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

/** The refresh tokens of the sessions, stored only as SHA-256 hashes and looked up by hash. */
export interface RefreshTokenRepository {
  /** Inserts a token. Hashes are unique across all groups; a duplicate throws `AuthError('conflict')`. */
  create(token: RefreshTokenRecord): Promise<void>;
  /**
   * The token with this hash, rotated or not (a rotated one shows reuse), or null. Not group-scoped:
   * the record names its group, and the caller checks it.
   */
  findByHash(hash: string): Promise<RefreshTokenRecord | null>;
  /**
   * The token with this hash (as {@link findByHash}), together with its session (the token's
   * `sessionId` in the token's group, revoked or not; null when the row is gone) and that session's
   * account (as `sessions.findWithAccount` reads it; null when either row is gone), or null when there
   * is no such token. What every refresh reads, at once: SQL adapters answer with one query (the token
   * LEFT JOIN its session LEFT JOIN the account), not three.
   */
  findWithSession(hash: string): Promise<RefreshTokenWithSession | null>;
  /**
   * Exchanges the token `hash` for `next`, a token of the same session, and records use of that session
   * (`next.group`, `next.sessionId`): sets the session's `lastUsedAt` to `at`, the token's `rotatedAt`
   * to `at`, and inserts `next`; all three or none. **Atomic**, with concurrent rotations and with
   * revocation:
   *
   * - `'rotated'`: done. Under concurrent calls with the same `hash` exactly one gets it.
   * - `'spent'`: the token was rotated already (or is absent): it is left as it was and `next` is not
   *   stored. The session's `lastUsedAt` may have been set all the same (a concurrent call spent the
   *   token, so the session was used).
   * - `'ended'`: the token is live but its session is revoked or absent; nothing changed. A revocation
   *   that committed before the call is seen, and one that comes after it waits for it (the session row
   *   is locked until the exchange commits), so a refresh cannot outrun a sign-out.
   *
   * A `next.hash` that already exists throws `AuthError('conflict')` and changes nothing.
   */
  rotate(hash: string, next: RefreshTokenRecord, at: Date): Promise<RotateOutcome>;
}

/** What `refreshTokens.findWithSession` reads: a token, its session and the session's account. */
export interface RefreshTokenWithSession {
  token: RefreshTokenRecord;
  session: SessionRecord | null;
  account: AccountRecord | null;
}

/** How `refreshTokens.rotate` ended; see there. */
export type RotateOutcome = 'rotated' | 'spent' | 'ended';

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

/** Single-use tokens (email verification, password reset, login challenges), stored only as hashes. */
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
  /** Reads a token without using it (null when unknown). Not a check: only `consume` decides. */
  find(hash: string): Promise<OneTimeTokenRecord | null>;
}

/**
 * Each account's recovery codes, stored only as keyed hashes. The account's `recoveryCodesRemaining`
 * moves with them in the same atomic step.
 */
export interface RecoveryCodeRepository {
  /**
   * Replaces the account's recovery codes with `hashes` and sets the account's
   * `recoveryCodesRemaining` to their number. **Atomic**: both or neither; old codes stop working.
   * For an account that does not exist nothing is stored.
   */
  replace(group: string, accountId: string, hashes: string[], at: Date): Promise<void>;
  /**
   * Uses one code: marks it used and decrements the account's `recoveryCodesRemaining`, only when the
   * account has an unused code with this hash. **Atomic**: of concurrent calls with one hash exactly one
   * returns true.
   */
  consume(group: string, accountId: string, hash: string, at: Date): Promise<boolean>;
}

/**
 * One-time codes sent by email or SMS: at most one live code per account, channel and purpose, stored
 * only as a keyed hash, with the count of wrong attempts that caps guessing.
 */
export interface OtpCodeRepository {
  /**
   * Stores the live code of `(group, accountId, channel, purpose)`, replacing the previous one. When the
   * previous code is still live (unconsumed and `expiresAt > code.createdAt`) its `attempts` carry over
   * (resending does not reset the count); otherwise `code.attempts` is kept. **Atomic.** For an account
   * that does not exist nothing is stored.
   */
  issue(code: OtpCodeRecord): Promise<void>;
  /**
   * Enters a code. With no live code (none, consumed or expired at `at`) → `missing`; with `attempts`
   * already at `maxAttempts` → `exhausted`; a matching hash → the code is consumed, `accepted`; else the
   * attempt is counted, `rejected`. **Atomic**: under concurrent calls with the right code exactly one is
   * `accepted`, and no more than `maxAttempts` wrong codes are ever counted.
   */
  attempt(
    group: string,
    accountId: string,
    channel: OtpChannel,
    purpose: OtpPurpose,
    codeHash: string,
    at: Date,
    maxAttempts: number,
  ): Promise<OtpAttemptResult>;
  /** The live or last code of that key (for tests and resend decisions). */
  find(group: string, accountId: string, channel: OtpChannel, purpose: OtpPurpose): Promise<OtpCodeRecord | null>;
  /** Removes every code of the account, live or not (their attempt counts go with them). */
  deleteForAccount(group: string, accountId: string): Promise<number>;
}

/** The passkeys (WebAuthn credentials) of the accounts, by group. */
export interface WebAuthnCredentialRepository {
  /** Stores a passkey. `(group, id)` is unique: a duplicate throws `AuthError('conflict')`. */
  create(credential: WebAuthnCredentialRecord): Promise<void>;
  /**
   * The passkey with this credential id in this group, whichever account it belongs to, or null:
   * a sign-in finds its account this way.
   */
  findById(group: string, id: string): Promise<WebAuthnCredentialRecord | null>;
  /** An account's passkeys, oldest first. */
  listByAccount(group: string, accountId: string): Promise<WebAuthnCredentialRecord[]>;
  /** Renames one of the account's passkeys; null when the account has no passkey with that id. */
  rename(group: string, accountId: string, id: string, name: string): Promise<WebAuthnCredentialRecord | null>;
  /** Removes one of the account's passkeys; false when the account has no passkey with that id. */
  delete(group: string, accountId: string, id: string): Promise<boolean>;
  /** Removes every passkey of the account; returns how many it removed. */
  deleteAllForAccount(group: string, accountId: string): Promise<number>;
  /**
   * Records a use: sets `counter = next` and `lastUsedAt = at` only when the stored counter is still
   * `expected`. **Atomic** (compare-and-set): of concurrent uses that read the same counter exactly one
   * returns true.
   */
  recordUse(group: string, id: string, expected: number, next: number, at: Date): Promise<boolean>;
}

/** The challenges handed to browsers for passkey registration and sign-in: single use, stored only as hashes. */
export interface WebAuthnChallengeRepository {
  /** Stores a challenge; a hash that exists throws `AuthError('conflict')`. */
  create(challenge: WebAuthnChallengeRecord): Promise<void>;
  /**
   * Uses a challenge: sets `consumedAt = at` and returns the record as it was, only when it exists, has
   * `purpose`, is unconsumed and `expiresAt > at`; otherwise null. **Atomic**: exactly one of concurrent
   * callers receives the record.
   */
  consume(hash: string, purpose: WebAuthnChallengePurpose, at: Date): Promise<WebAuthnChallengeRecord | null>;
  /**
   * Removes challenges whose `expiresAt` is at or before `before` (used or not; `consume` refuses them
   * already), at most `limit` of them when given (any of the due ones), and returns how many it
   * removed. Live challenges are never touched. Safe to run concurrently: a challenge removed by
   * another caller is simply not counted. Called by `purgeDeletedAccounts`.
   */
  deleteExpired(before: Date, limit?: number): Promise<number>;
  /** Removes every challenge bound to the account (pending passkey registrations and sign-ins). */
  deleteForAccount(group: string, accountId: string): Promise<number>;
}

/**
 * The keys that sign each group's access tokens. Keys are only ever added: the highest generation
 * signs, and an older one stays published, and verifies, until every token it signed has expired.
 */
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
 * Named leases that let one caller at a time, across every instance sharing the storage, run a
 * background job (`purgeDeletedAccounts` takes `purge`). A lease is held by an `owner` (an opaque id of
 * the caller) until it is released or its time runs out, so a holder that crashed blocks the job only
 * until then.
 */
export interface JobLeaseRepository {
  /**
   * Takes the lease `name` for `owner` until `now + ttlMs` (`ttlMs` a positive integer), when it is
   * free, expired (its expiry is at or before `now`) or already `owner`'s, which extends it; returns
   * whether `owner` holds it now. A lease another owner holds past `now` is left as it is, and the call
   * returns false. **Atomic**: of concurrent calls for one name by different owners, at most one
   * returns true.
   */
  acquire(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Frees the lease `name` when `owner` holds it (expired or not); otherwise changes nothing. */
  release(name: string, owner: string): Promise<void>;
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
  auditLog: AuditLogRepository;
  signingKeys: SigningKeyRepository;
  oneTimeTokens: OneTimeTokenRepository;
  recoveryCodes: RecoveryCodeRepository;
  otpCodes: OtpCodeRepository;
  webauthnCredentials: WebAuthnCredentialRepository;
  webauthnChallenges: WebAuthnChallengeRepository;
  /** The transactional outbox: each group's events, in sequence order. */
  outbox: OutboxRepository;
  /** The webhook endpoints the groups subscribed. */
  webhookEndpoints: WebhookEndpointRepository;
  /** The deliveries of the outbox's events to the endpoints, with their attempts. */
  webhookDeliveries: WebhookDeliveryRepository;
  /** The leases that keep background jobs to one instance at a time. */
  jobLeases: JobLeaseRepository;
  /**
   * Runs `fn` with a storage whose every write is part of one database transaction: committed when
   * `fn` resolves, rolled back when it throws (the error is thrown on). A change and the outbox event
   * it causes are written this way, both or neither. The atomic methods keep their contracts inside
   * (they run inline, in this transaction), and `transaction` called on the storage handed to `fn` runs
   * `fn` inline too: transactions do not nest.
   *
   * Use only the storage handed to `fn` inside it: the outer one is not part of the transaction (on a
   * single-connection database such as SQLite, or the memory storage, it waits for the transaction to
   * end, so using it inside `fn` would never finish). Let errors propagate: on PostgreSQL a statement
   * that fails (a `conflict`) aborts the whole transaction, so catching it inside `fn` and carrying on
   * fails the next statement. Keep `fn` short and free of network calls: it holds a connection and
   * its row locks until it returns. A storage may run `fn` again when the database rolled the
   * transaction back as a deadlock's victim (the SQL storage does, a few times), so `fn` must have no
   * effect beyond the storage it is given, or be safe to repeat.
   *
   * @example
   * ```ts
   * await storage.transaction(async (tx) => {
   *   await tx.accounts.create(account);
   *   await tx.outbox.append({ id: 'evt_01J…', group: account.group, event: 'account.created', occurredAt: now, payload });
   * });
   * ```
   */
  transaction<T>(fn: (storage: Storage) => Promise<T>): Promise<T>;
}
