/** The storage ports of the sessions and their refresh tokens. */

import type { AccountRecord, RefreshTokenRecord, SessionRecord } from '../records.js';

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
