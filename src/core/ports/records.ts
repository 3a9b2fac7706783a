/** The records the Storage port stores: plain data, times as `Date` with millisecond precision. */


export interface GroupRecord {
  id: string;
  name: string | null;
  /** A locked group refuses self-registration (`registration_closed`). */
  locked: boolean;
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type AccountStatus = 'active' | 'locked' | 'deleted';

export interface AccountRecord {
  id: string;
  group: string;
  /** Normalised: trimmed, NFKC, lower-cased. Unique per group. */
  email: string;
  emailVerifiedAt: Date | null;
  emailAddedAt: Date;
  firstName: string | null;
  lastName: string | null;
  /** PHC string; null for an account that has no password (yet). */
  passwordHash: string | null;
  roles: string[];
  allowSupportLogin: boolean;
  status: AccountStatus;
  statusChangedAt: Date;
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  lastLoginAt: Date | null;
  lastLoginDevice: string | null;
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

export interface SessionRecord {
  id: string;
  group: string;
  accountId: string;
  /** Authentication methods used to open the session (`pwd`, `otp` …), copied into access tokens. */
  amr: string[];
  createdAt: Date;
  lastUsedAt: Date;
  /** Absolute end of the session, whatever its use. */
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token, base64url. The token itself is never stored. */
  hash: string;
  sessionId: string;
  group: string;
  accountId: string;
  createdAt: Date;
  /** Set once, when the token is exchanged for its successor. */
  rotatedAt: Date | null;
}

export type LoginMethod = 'password' | 'refresh' | 'passkey' | 'unlock' | 'reset';

export interface LoginAttemptRecord {
  id: string;
  group: string;
  /** Null when the email matched no account. */
  accountId: string | null;
  /** The normalised email that was tried. */
  email: string | null;
  time: Date;
  ip: string | null;
  userAgent: string | null;
  success: boolean;
  method: LoginMethod;
  /** A stable reason code for failures (`invalid_credentials`, `rate_limited`, `account_locked` …). */
  failureReason: string | null;
}

export interface SigningKeyRecord {
  /** The JWK `kid`. */
  id: string;
  group: string;
  /** 1 for a group's first key, +1 on every rotation; the highest is the current key. */
  generation: number;
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
export type OneTimeTokenPurpose = 'email_verification' | 'password_reset' | 'login_challenge' | 'passkey_login_challenge';

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
  backedUp: boolean;
  /** A name the owner chose (`MacBook Touch ID`). */
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

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
  nextCursor: string | null;
}
