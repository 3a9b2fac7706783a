/** The records of the sessions and their refresh tokens. */

/**
 * A sign-in on one device. It lives while it is not revoked, is used (refreshed) within the
 * `session.idleTimeout` option, and is younger than `expiresAt`; its access tokens carry its id as `sid`.
 */
export interface SessionRecord {
  /** A ULID with the `ses` prefix, made by latchkey. */
  id: string;
  group: string;
  accountId: string;
  /** Authentication methods used to open the session (`pwd`, `otp` …), copied into access tokens. */
  amr: string[];
  createdAt: Date;
  /** The last refresh (or the sign-in): the idle timeout counts from here. */
  lastUsedAt: Date;
  /** Absolute end of the session, whatever its use. */
  expiresAt: Date;
  /** Set once, when the session is revoked; a revoked session is never revived. */
  revokedAt: Date | null;
  /** Why it was revoked (`revoked_by_user`, `password_changed`, `refresh_token_reused` …). */
  revokedReason: string | null;
  /** The client address at sign-in. */
  ip: string | null;
  userAgent: string | null;
}

/**
 * One refresh token of a session. Each refresh exchanges the token for its successor. A rotated token
 * presented again is reuse and revokes the session, unless it was rotated less than the
 * `refreshTokenReuseGrace` option ago (then it answers `refresh_token_stale`).
 */
export interface RefreshTokenRecord {
  /** SHA-256 of the token, base64url. The token itself is never stored. */
  hash: string;
  sessionId: string;
  /** The session's group and account, copied so a presented token finds them in one read. */
  group: string;
  accountId: string;
  createdAt: Date;
  /** Set once, when the token is exchanged for its successor. */
  rotatedAt: Date | null;
}
