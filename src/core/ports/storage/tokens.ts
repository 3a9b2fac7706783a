/** The storage ports of the single-use secrets: one-time tokens, recovery codes and one-time codes. */

import type {
  OneTimeTokenPurpose,
  OneTimeTokenRecord,
  OtpAttemptResult,
  OtpChannel,
  OtpCodeRecord,
  OtpPurpose,
} from '../records.js';

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
