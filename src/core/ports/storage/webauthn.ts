/** The storage ports of passkeys: the WebAuthn credentials and the challenges handed to browsers. */

import type { WebAuthnChallengePurpose, WebAuthnChallengeRecord, WebAuthnCredentialRecord } from '../records.js';

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
