/** The records of passkeys: the WebAuthn credentials and challenges. */

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
