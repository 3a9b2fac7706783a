/**
 * The Storage port: the repositories, one file per concern under `storage/`, re-exported here, and
 * the `Storage` interface that combines them.
 */

import type { GroupRepository } from './storage/groups.js';
import type { AccountRepository } from './storage/accounts.js';
import type { RefreshTokenRepository, SessionRepository } from './storage/sessions.js';
import type { AuditLogRepository, LoginAttemptRepository } from './storage/logs.js';
import type { OneTimeTokenRepository, OtpCodeRepository, RecoveryCodeRepository } from './storage/tokens.js';
import type { WebAuthnChallengeRepository, WebAuthnCredentialRepository } from './storage/webauthn.js';
import type { SigningKeyRepository } from './storage/signing-keys.js';
import type { JobLeaseRepository } from './storage/job-leases.js';
import type { OutboxRepository, WebhookDeliveryRepository, WebhookEndpointRepository } from './webhooks.js';

export type * from './storage/groups.js';
export type * from './storage/accounts.js';
export type * from './storage/sessions.js';
export type * from './storage/logs.js';
export type * from './storage/tokens.js';
export type * from './storage/webauthn.js';
export type * from './storage/signing-keys.js';
export type * from './storage/job-leases.js';

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
