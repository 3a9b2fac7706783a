/** The account record, its status and the fields a patch may change. */

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
