import type {
  AccountRecord,
  AuditLogRecord,
  GroupRecord,
  LoginAttemptRecord,
  OneTimeTokenRecord,
  OtpCodeRecord,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  WebAuthnChallengeRecord,
  WebAuthnCredentialRecord,
  OutboxEventRecord,
  WebhookAttemptRecord,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
} from '../../../core/ports.js';

/**
 * Everything one {@link memoryStorage} instance holds. The repositories share it because deleting an
 * account cascades across them.
 */
export interface MemoryState {
  groups: Map<string, GroupRecord>;
  /** Keyed by {@link scopedKey}(group, id). */
  accounts: Map<string, AccountRecord>;
  /** {@link scopedKey}(group, email) → account id: the unique index on `(group, email)`. */
  accountIdsByEmail: Map<string, string>;
  /** Keyed by {@link scopedKey}(group, id). */
  sessions: Map<string, SessionRecord>;
  /** Keyed by hash, which is unique across groups (`findByHash` takes no group). */
  refreshTokens: Map<string, RefreshTokenRecord>;
  /** Keyed by {@link scopedKey}(group, id). */
  loginAttempts: Map<string, LoginAttemptRecord>;
  /** Keyed by key id (the JWK `kid`), unique across groups. */
  signingKeys: Map<string, SigningKeyRecord>;
  /** Keyed by hash, which is unique across groups (`consume` takes no group). */
  oneTimeTokens: Map<string, OneTimeTokenRecord>;
  /** {@link scopedKey}(group, account id) → the account's recovery codes, by hash. */
  recoveryCodes: Map<string, Map<string, RecoveryCodeEntry>>;
  /** Keyed by {@link otpKey}: one live or last code per account, channel and purpose. */
  otpCodes: Map<string, OtpCodeRecord>;
  /** Keyed by {@link scopedKey}(group, credential id): credential ids are unique per group. */
  webauthnCredentials: Map<string, WebAuthnCredentialRecord>;
  /** Keyed by hash, which is unique across groups (`consume` takes no group). */
  webauthnChallenges: Map<string, WebAuthnChallengeRecord>;
  /** Keyed by {@link scopedKey}(group, id); only the audit log and a group's removal touch it. */
  auditEntries: Map<string, AuditLogRecord>;
  /** Keyed by {@link scopedKey}(group, id). */
  outboxEvents: Map<string, OutboxEventRecord>;
  /** Group id → the last sequence number the group's outbox handed out. */
  eventSequences: Map<string, number>;
  /** Keyed by {@link scopedKey}(group, id). */
  webhookEndpoints: Map<string, WebhookEndpointRecord>;
  /** Keyed by {@link scopedKey}(group, id). */
  webhookDeliveries: Map<string, DeliveryEntry>;
  /** Keyed by {@link scopedKey}(group, id). */
  webhookAttempts: Map<string, WebhookAttemptRecord>;
  /** Job name → the lease held on it. */
  jobLeases: Map<string, JobLeaseEntry>;
}

/** A background job's lease (`jobLeases.acquire`). */
export interface JobLeaseEntry {
  owner: string;
  /** Epoch milliseconds: the lease is free from this instant on. */
  expiresAt: number;
}

/** A stored delivery with the lease a dispatcher holds on it (`claimDue`), which the record does not show. */
export interface DeliveryEntry {
  record: WebhookDeliveryRecord;
  leaseOwner: string | null;
  /** Epoch milliseconds; null when no dispatcher holds it. */
  leaseExpiresAt: number | null;
}

/** A stored recovery code (its hash is the map key). The port never reads it back whole. */
export interface RecoveryCodeEntry {
  createdAt: Date;
  usedAt: Date | null;
}

/** An empty state. */
export function createMemoryState(): MemoryState {
  return {
    groups: new Map(),
    accounts: new Map(),
    accountIdsByEmail: new Map(),
    sessions: new Map(),
    refreshTokens: new Map(),
    loginAttempts: new Map(),
    signingKeys: new Map(),
    oneTimeTokens: new Map(),
    recoveryCodes: new Map(),
    otpCodes: new Map(),
    webauthnCredentials: new Map(),
    webauthnChallenges: new Map(),
    auditEntries: new Map(),
    outboxEvents: new Map(),
    eventSequences: new Map(),
    webhookEndpoints: new Map(),
    webhookDeliveries: new Map(),
    webhookAttempts: new Map(),
    jobLeases: new Map(),
  };
}

/** An unambiguous map key for a pair (no separator a value could contain can confuse two pairs). */
export function scopedKey(group: string, id: string): string {
  return JSON.stringify([group, id]);
}

/** The map key of a one-time code: one per account, channel and purpose. */
export function otpKey(code: Pick<OtpCodeRecord, 'group' | 'accountId' | 'channel' | 'purpose'>): string {
  return JSON.stringify([code.group, code.accountId, code.channel, code.purpose]);
}

/**
 * A deep copy that keeps `Date`s as `Date`s. Records are copied on the way in and out so that callers
 * mutating what they passed or received never change what is stored.
 */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Returns a copy of `record` with `patch` applied. Keys the record does not have, keys listed in
 * `fixed`, and `undefined` values are ignored, so a patch can neither add fields nor change identity.
 */
export function applyPatch<T extends object>(record: T, patch: object, fixed: readonly string[]): T {
  const next = { ...record } as Record<string, unknown>;
  for (const [key, value] of Object.entries(copy(patch))) {
    if (value === undefined || fixed.includes(key) || !Object.hasOwn(record, key)) continue;
    next[key] = value;
  }
  return next as T;
}
