/** The records of the single-use secrets: one-time tokens and one-time codes. */

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
