import type { Storage } from '../../../core/ports.js';
import { createAccountRepository } from './accounts.js';
import { createAuditLogRepository } from './audit-log.js';
import { createGroupRepository } from './groups.js';
import { createJobLeaseRepository } from './job-leases.js';
import { createLoginAttemptRepository } from './login-attempts.js';
import { createOneTimeTokenRepository } from './one-time-tokens.js';
import { createOtpCodeRepository } from './otp-codes.js';
import { createOutboxRepository } from './outbox.js';
import { createRecoveryCodeRepository } from './recovery-codes.js';
import { createRefreshTokenRepository } from './refresh-tokens.js';
import { createSessionRepository } from './sessions.js';
import { createSigningKeyRepository } from './signing-keys.js';
import { createMemoryState } from './state.js';
import { transactionalStorage } from './transaction.js';
import { createWebAuthnChallengeRepository } from './webauthn-challenges.js';
import { createWebAuthnCredentialRepository } from './webauthn-credentials.js';
import { createWebhookDeliveryRepository } from './webhook-deliveries.js';
import { createWebhookEndpointRepository } from './webhook-endpoints.js';

/**
 * Creates the reference implementation of the {@link Storage} port, kept in this process's memory.
 *
 * It honours every contract of the port (the atomic methods included: none of them awaits between its
 * checks and its writes) and passes `runStorageConformance`. Everything is lost when the process exits,
 * and nothing is shared between processes, so use it for tests, examples and local development, not
 * for a deployment with more than one instance.
 *
 * Records are copied on the way in and out: mutating an object you passed in or got back never changes
 * what is stored.
 *
 * `transaction` runs one transaction at a time, and every other call waits until it ends (as on
 * SQLite). It copies the whole state first and puts the copy back when `fn` throws, so a rollback
 * undoes exactly the transaction's writes; the copy costs time in proportion to what is stored.
 *
 * @returns A fresh, empty storage; each call is independent of every other.
 *
 * @example
 * ```ts
 * import { memoryStorage } from 'latchkey/memory';
 *
 * const storage = memoryStorage();
 * const now = new Date();
 * await storage.groups.create({ id: 'acme', name: 'Acme', locked: false, ownerId: null, settings: {}, createdAt: now, updatedAt: now });
 * await storage.groups.find('acme'); // → a copy of the record above
 * ```
 */
export function memoryStorage(): Storage {
  const state = createMemoryState();
  return transactionalStorage(state, {
    groups: createGroupRepository(state),
    accounts: createAccountRepository(state),
    sessions: createSessionRepository(state),
    refreshTokens: createRefreshTokenRepository(state),
    loginAttempts: createLoginAttemptRepository(state),
    auditLog: createAuditLogRepository(state),
    signingKeys: createSigningKeyRepository(state),
    oneTimeTokens: createOneTimeTokenRepository(state),
    recoveryCodes: createRecoveryCodeRepository(state),
    otpCodes: createOtpCodeRepository(state),
    webauthnCredentials: createWebAuthnCredentialRepository(state),
    webauthnChallenges: createWebAuthnChallengeRepository(state),
    outbox: createOutboxRepository(state),
    webhookEndpoints: createWebhookEndpointRepository(state),
    webhookDeliveries: createWebhookDeliveryRepository(state),
    jobLeases: createJobLeaseRepository(state),
  });
}
