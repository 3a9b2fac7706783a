/** The records the Storage port stores: plain data, times as `Date` with millisecond precision. */

/**
 * A group's own policy over the app's options (`PATCH /group` `settings`). Every key is optional: an
 * absent key means the app's option applies. Stored as JSON text; latchkey validates the values (with
 * the bounds of the matching `createAuth` options) before it stores them.
 */
export interface GroupSettings {
  /** false closes self-registration (`registration_closed`), like `locked`. App default: open. */
  allowRegistration?: boolean;
  /** Over the `requireEmailVerification` option. */
  requireEmailVerification?: boolean;
  /**
   * Accounts must set up a second factor: until one is, their tokens reach only the setup routes
   * (`two_factor_setup_required` elsewhere). App default: false.
   */
  requireTwoFactor?: boolean;
  /** Over `password.minLength`; never below it, nor above `password.maxLength`. */
  passwordMinLength?: number;
  /** Over the `accessTokenTtl` option, in seconds (30 to 86,400). */
  accessTokenTtl?: number;
  /** Over `session.idleTimeout`, in seconds (60 to 400 days). */
  sessionIdleTimeout?: number;
}

/**
 * An auth group (a tenant): accounts, sessions and signing keys of one group are invisible to every
 * other. The `default` group is created on first use; any other comes from `auth.createGroup`.
 */
export interface GroupRecord {
  /** A lower-case slug (`acme`): the group's path segment in multi-group mode. Never changes. */
  id: string;
  /** A display name; latchkey never reads it. */
  name: string | null;
  /** A locked group refuses self-registration (`registration_closed`). */
  locked: boolean;
  /**
   * The account that owns the group: it cannot be deleted while it does (`conflict`). Set by an
   * administrator (`PATCH /group`, `auth.updateGroup`) to an account of the group, or by
   * `auth.createGroup({ ownerEmail })`; null for none.
   */
  ownerId: string | null;
  /** The group's own policy over the app's options; `{}` when it has none. */
  settings: GroupSettings;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Where an account stands. `locked` refuses every sign-in and refresh (the owner's panic lock, undone
 * with `auth.unlockAccount`); `deleted` is an account its owner deleted, kept until
 * `auth.purgeDeletedAccounts` removes it.
 */
export type AccountStatus = 'active' | 'locked' | 'deleted';

/**
 * An account as storage keeps it, secrets included (sealed or hashed). Callers see it only as an
 * `AccountResource`, which leaves every secret out.
 */
export interface AccountRecord {
  /** A ULID with the `acc` prefix, made by latchkey. */
  id: string;
  group: string;
  /** Normalised: trimmed, NFKC, lower-cased. Unique per group. */
  email: string;
  /** When the owner proved the address (a verification token or an email code); null until then. */
  emailVerifiedAt: Date | null;
  /** When the current address was set. */
  emailAddedAt: Date;
  firstName: string | null;
  lastName: string | null;
  /** PHC string; null for an account that has no password (yet). */
  passwordHash: string | null;
  /** The app's roles: latchkey stores and shows them, and grants nothing by them. New accounts have none. */
  roles: string[];
  /** The owner's consent to support staff signing in as them; the owner sets it with `updateProfile`. */
  allowSupportLogin: boolean;
  status: AccountStatus;
  statusChangedAt: Date;
  /** Why the status last changed: `panic` for the owner's own lock (only that lock can be unlocked by the owner). */
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** When the owner deleted the account; the purge removes it `deletedAccountRetention` seconds later. */
  deletedAt: Date | null;
  lastLoginAt: Date | null;
  /** The `User-Agent` of the last successful sign-in. */
  lastLoginDevice: string | null;
  /** Clients that signed in before this time no longer count as the owner's for the login throttle. */
  lastPasswordChangeAt: Date | null;
  /** E.164 (`+447700900123`); null until the account adds a phone. */
  phoneNumber: string | null;
  /** When an SMS code proved the phone; null while unverified (a new number starts unverified). */
  phoneVerifiedAt: Date | null;
  /** The confirmed authenticator secret (base32), sealed; null when TOTP is off. */
  totpSecretSealed: string | null;
  /** A secret waiting for its first valid code, sealed; every new enrolment replaces it. */
  totpPendingSecretSealed: string | null;
  /** The last TOTP time step a code was accepted for: codes of that step or older are refused. */
  totpLastUsedStep: number | null;
  /** When TOTP was confirmed; null when it is off. */
  totpEnabledAt: Date | null;
  /** Email one-time codes enabled as a second factor. */
  emailOtpEnabledAt: Date | null;
  /** SMS one-time codes enabled as a second factor (needs a verified phone). */
  smsOtpEnabledAt: Date | null;
  /** Unused recovery codes; kept by the recovery code repository in the same step as the codes. */
  recoveryCodesRemaining: number;
}

/** The fields of an account that {@link AccountRepository.update} may change. */
export type AccountPatch = Partial<Omit<AccountRecord, 'id' | 'group' | 'createdAt'>>;

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

/**
 * How a login attempt proved itself: a password, a passkey, the owner's unlock with a recovery code,
 * or the second factor a password reset asks for (`reset`).
 */
export type LoginMethod = 'password' | 'refresh' | 'passkey' | 'unlock' | 'reset' | 'support';

/**
 * Who signed in on the owner's behalf: the administrator of a support session (`method: 'support'`),
 * and the address they came from.
 */
export interface LoginActor {
  /** The administrator's account id. */
  id: string;
  /** The administrator's client address; null when the adapter knew none. */
  ip: string | null;
}

/**
 * One entry of the login history: a sign-in attempt and its outcome. It feeds `auth.listLogins`, and its
 * successes tell the owner's usual addresses from a stranger's (the login throttle). The `loginHistory`
 * options bound how long it is kept.
 */
export interface LoginAttemptRecord {
  /** A ULID with the `lgn` prefix, so ids sort by time. */
  id: string;
  group: string;
  /** Null when the email matched no account. */
  accountId: string | null;
  /** The normalised email that was tried. */
  email: string | null;
  time: Date;
  /** The client address; null when the adapter knew none. */
  ip: string | null;
  userAgent: string | null;
  /** True exactly when `failureReason` is null. */
  success: boolean;
  method: LoginMethod;
  /** A stable reason code for failures (`invalid_credentials`, `rate_limited`, `account_locked` …). */
  failureReason: string | null;
  /**
   * The administrator behind a support session (`method: 'support'`); null or absent for the owner's
   * own sign-ins. The attempt's own `ip` is then null, so an administrator's address never counts as
   * one of the owner's usual addresses.
   */
  actor?: LoginActor | null;
}

/** A small JSON value: what an audit entry may carry besides its target (a role name, a count …). */
export type AuditDetails = { [key: string]: string | number | boolean | null | string[] };

/**
 * One entry of the audit log: an administrator's action on something of the group. Entries are only
 * added (and purged by age): they outlive the accounts they name, so `actorId` and `targetId` are plain
 * ids, not references.
 */
export interface AuditLogRecord {
  /** A ULID with the `aud` prefix, so ids sort by time. */
  id: string;
  group: string;
  time: Date;
  /** The administrator's account id; null when the app or the command line acted (`auth.grantRole`). */
  actorId: string | null;
  /** The administrator's client address; null when unknown. */
  actorIp: string | null;
  /** What was done: `account.lock`, `account.unlock`, `account.delete`, `role.grant`, `role.revoke` … */
  action: string;
  /** The kind of thing acted on (`account`). */
  targetType: string;
  targetId: string;
  /** A few facts about the action (the role granted …), or null. Kept small: it is stored as JSON text. */
  details: AuditDetails | null;
}

/**
 * A key that signs a group's access tokens. Older generations stay, so tokens signed before a rotation
 * still verify until they expire; the public halves are the group's JWKS.
 */
export interface SigningKeyRecord {
  /** The JWK `kid`. */
  id: string;
  group: string;
  /** 1 for a group's first key, +1 on every rotation; the highest is the current key. */
  generation: number;
  /** The JWS algorithm the key signs with; a token that names another is refused. */
  alg: string;
  /** Public JWK, JSON. */
  publicJwk: string;
  /** Private JWK, JSON, sealed with a key derived from the `secret` option. */
  privateJwkSealed: string;
  createdAt: Date;
}

/**
 * What a one-time token proves when it is presented. A `login_challenge` stands for a correct password
 * waiting for its second factor; a `passkey_login_challenge` for a passkey assertion without user
 * verification waiting for its second factor (the purpose records the first factor, for the session's
 * `amr` and the login history).
 */
export type OneTimeTokenPurpose =
  | 'email_verification'
  | 'password_reset'
  /** The claim link of an imported account: a password reset that the account's creation does not void. */
  | 'account_claim'
  | 'login_challenge'
  | 'passkey_login_challenge';

/**
 * A single-use token: a link mailed for email verification or password reset, or the challenge a
 * login hands back while it waits for a second factor. Only the newest token of a purpose works.
 */
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

/** Where a one-time code is sent: the account's email address or its verified phone. */
export type OtpChannel = 'email' | 'sms';

/** `verify` proves the channel (a new phone, enabling email codes); `login` is a second factor. */
export type OtpPurpose = 'verify' | 'login';

/** The live one-time code of one account, channel and purpose (6 digits, only its hash stored). */
export interface OtpCodeRecord {
  group: string;
  accountId: string;
  channel: OtpChannel;
  purpose: OtpPurpose;
  /** Keyed hash of the code (HMAC-SHA-256 under a key derived from `secret`). */
  codeHash: string;
  /** Wrong codes entered since the first of a run of codes was sent (resending keeps the count). */
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  /** Set once, when the right code is entered. */
  consumedAt: Date | null;
}

/** The outcome of entering a one-time code. */
export type OtpAttemptResult = 'accepted' | 'rejected' | 'exhausted' | 'missing';

/** A passkey (WebAuthn credential) of an account. */
export interface WebAuthnCredentialRecord {
  /** The credential id, base64url; unique per group. */
  id: string;
  group: string;
  accountId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  /** The signature counter last accepted (0 for authenticators that keep none). */
  counter: number;
  /** Authenticator transports (`internal`, `hybrid`, `usb` …) as the browser reported them. */
  transports: string[];
  /** `singleDevice` or `multiDevice` (a synced passkey). */
  deviceType: string;
  /** Whether the passkey is backed up (synced to the owner's other devices), as last reported. */
  backedUp: boolean;
  /** A name the owner chose (`MacBook Touch ID`). */
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** What a WebAuthn challenge was handed out for: adding a passkey, or signing in with one. */
export type WebAuthnChallengePurpose = 'registration' | 'authentication';

/** A WebAuthn challenge handed to a browser: single use, short-lived, stored only as its hash. */
export interface WebAuthnChallengeRecord {
  /** SHA-256 of the challenge, base64url. */
  hash: string;
  purpose: WebAuthnChallengePurpose;
  group: string;
  /** The account it is bound to; null for a discoverable (usernameless) sign-in. */
  accountId: string | null;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}

/**
 * One page of a list. `nextCursor` is null exactly when nothing is left. Pages are stable: rows added
 * after the first page was read never shift later pages. A malformed cursor, or a `limit` that is not a
 * positive integer, throws `AuthError('validation_failed')`.
 */
export interface Page<T> {
  data: T[];
  /** Pass it back as `cursor` for the next page. Opaque: its form may change between versions. */
  nextCursor: string | null;
}
