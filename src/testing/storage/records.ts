import { toBase64Url } from '../../core/lib/encoding.js';
import type {
  AccountRecord,
  GroupRecord,
  LoginAttemptRecord,
  OneTimeTokenRecord,
  OtpCodeRecord,
  OutboxEventRecord,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  WebAuthnChallengeRecord,
  WebAuthnCredentialRecord,
  WebhookAttemptRecord,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
} from '../../core/ports.js';

/**
 * Record factories for the storage conformance suite. Ids, emails and hashes are random so that the
 * suite also runs against a database that is not emptied between tests.
 */

const BASE_TIME = Date.UTC(2024, 4, 6, 7, 8, 9, 123);

/** A fixed instant plus `offsetMs`; the base has a non-zero millisecond part to catch truncation. */
export function at(offsetMs = 0): Date {
  return new Date(BASE_TIME + offsetMs);
}

/** A random id with a readable prefix. */
export function uid(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;
}

/** A group with nullable fields null, unless overridden. */
export function makeGroup(overrides: Partial<GroupRecord> = {}): GroupRecord {
  return {
    id: uid('grp'),
    name: null,
    locked: false,
    ownerId: null,
    settings: {},
    createdAt: at(),
    updatedAt: at(),
    ...overrides,
  };
}

/** An active account with nullable fields null and no second factor, unless overridden. */
export function makeAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id: uid('acc'),
    group: uid('grp'),
    email: `${uid('user')}@example.com`.toLowerCase(),
    emailVerifiedAt: null,
    emailAddedAt: at(),
    firstName: null,
    lastName: null,
    passwordHash: null,
    roles: [],
    allowSupportLogin: false,
    status: 'active',
    statusChangedAt: at(),
    statusReason: null,
    createdAt: at(),
    updatedAt: at(),
    deletedAt: null,
    lastLoginAt: null,
    lastLoginDevice: null,
    lastPasswordChangeAt: null,
    phoneNumber: null,
    phoneVerifiedAt: null,
    totpSecretSealed: null,
    totpPendingSecretSealed: null,
    totpLastUsedStep: null,
    totpEnabledAt: null,
    emailOtpEnabledAt: null,
    smsOtpEnabledAt: null,
    recoveryCodesRemaining: 0,
    ...overrides,
  };
}

/** A live session with nullable fields null, unless overridden. */
export function makeSession(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: uid('ses'),
    group: uid('grp'),
    accountId: uid('acc'),
    amr: ['pwd'],
    createdAt: at(),
    lastUsedAt: at(),
    expiresAt: at(30 * 24 * 3600_000),
    revokedAt: null,
    revokedReason: null,
    ip: null,
    userAgent: null,
    ...overrides,
  };
}

/** A refresh token not yet rotated, unless overridden. */
export function makeRefreshToken(overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    hash: uid('hash'),
    sessionId: uid('ses'),
    group: uid('grp'),
    accountId: uid('acc'),
    createdAt: at(),
    rotatedAt: null,
    ...overrides,
  };
}

/** A failed password attempt with nullable fields null, unless overridden. */
export function makeLoginAttempt(overrides: Partial<LoginAttemptRecord> = {}): LoginAttemptRecord {
  return {
    id: uid('lgn'),
    group: uid('grp'),
    accountId: null,
    email: null,
    time: at(),
    ip: null,
    userAgent: null,
    success: false,
    method: 'password',
    failureReason: null,
    ...overrides,
  };
}

/** A first-generation signing key, unless overridden. */
export function makeSigningKey(overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  const id = overrides.id ?? uid('key');
  return {
    id,
    group: uid('grp'),
    generation: 1,
    alg: 'EdDSA',
    publicJwk: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'cHVibGlj', kid: id }),
    privateJwkSealed: `sealed.${id}`,
    createdAt: at(),
    ...overrides,
  };
}

/** An unconsumed password-reset token, valid for an hour from {@link at}(), unless overridden. */
export function makeOneTimeToken(overrides: Partial<OneTimeTokenRecord> = {}): OneTimeTokenRecord {
  return {
    hash: uid('ott'),
    purpose: 'password_reset',
    group: uid('grp'),
    accountId: uid('acc'),
    email: `${uid('user')}@example.com`.toLowerCase(),
    createdAt: at(),
    expiresAt: at(3600_000),
    consumedAt: null,
    ...overrides,
  };
}

/** An email login code with no wrong attempts, valid for ten minutes from {@link at}(), unless overridden. */
export function makeOtpCode(overrides: Partial<OtpCodeRecord> = {}): OtpCodeRecord {
  return {
    group: uid('grp'),
    accountId: uid('acc'),
    channel: 'email',
    purpose: 'login',
    codeHash: uid('otp'),
    attempts: 0,
    createdAt: at(),
    expiresAt: at(600_000),
    consumedAt: null,
    ...overrides,
  };
}

/** `bytes` random bytes, base64url: the shape of a credential id or public key. */
export function randomBase64Url(bytes: number): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A synced passkey, never used, with a random 32-byte id, unless overridden. */
export function makeWebAuthnCredential(overrides: Partial<WebAuthnCredentialRecord> = {}): WebAuthnCredentialRecord {
  return {
    id: randomBase64Url(32),
    group: uid('grp'),
    accountId: uid('acc'),
    publicKey: randomBase64Url(77),
    counter: 0,
    transports: ['internal', 'hybrid'],
    deviceType: 'multiDevice',
    backedUp: true,
    name: 'Passkey',
    createdAt: at(),
    lastUsedAt: null,
    ...overrides,
  };
}

/**
 * An unconsumed challenge for a discoverable sign-in (bound to no account), valid for five minutes from
 * {@link at}(), unless overridden.
 */
export function makeWebAuthnChallenge(overrides: Partial<WebAuthnChallengeRecord> = {}): WebAuthnChallengeRecord {
  return {
    hash: uid('wac'),
    purpose: 'authentication',
    group: uid('grp'),
    accountId: null,
    createdAt: at(),
    expiresAt: at(5 * 60_000),
    consumedAt: null,
    ...overrides,
  };
}

/** A random integer in `[min, max)`. */
export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min));
}

/** An outbox event to append (no sequence: `outbox.append` gives it), unless overridden. */
export function makeOutboxEvent(overrides: Partial<Omit<OutboxEventRecord, 'sequence'>> = {}): Omit<OutboxEventRecord, 'sequence'> {
  const id = overrides.id ?? uid('evt');
  return {
    id,
    group: uid('grp'),
    event: 'account.created',
    occurredAt: at(),
    payload: JSON.stringify({ id, event: overrides.event ?? 'account.created', data: { note: 'é ✓' } }),
    ...overrides,
  };
}

/** An enabled endpoint subscribed to every event, with no secret in rotation, unless overridden. */
export function makeWebhookEndpoint(overrides: Partial<WebhookEndpointRecord> = {}): WebhookEndpointRecord {
  return {
    id: uid('whe'),
    group: uid('grp'),
    url: 'https://hooks.example.com/latchkey',
    events: null,
    description: null,
    secretSealed: `sealed.${uid('whsec')}`,
    previousSecretSealed: null,
    previousSecretExpiresAt: null,
    createdAt: at(),
    updatedAt: at(),
    disabledAt: null,
    disabledReason: null,
    ...overrides,
  };
}

/** A pending delivery never tried, due at {@link at}(), unless overridden. */
export function makeWebhookDelivery(overrides: Partial<WebhookDeliveryRecord> = {}): WebhookDeliveryRecord {
  return {
    id: uid('whd'),
    group: uid('grp'),
    endpointId: uid('whe'),
    eventId: uid('evt'),
    event: 'account.created',
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at(),
    lastAttemptAt: null,
    lastResponseStatus: null,
    lastError: null,
    createdAt: at(),
    ...overrides,
  };
}

/** A successful attempt (204 in 120 ms), unless overridden. */
export function makeWebhookAttempt(overrides: Partial<WebhookAttemptRecord> = {}): WebhookAttemptRecord {
  return {
    id: uid('wha'),
    group: uid('grp'),
    deliveryId: uid('whd'),
    attemptedAt: at(),
    responseStatus: 204,
    error: null,
    durationMs: 120,
    responseExcerpt: null,
    ...overrides,
  };
}
