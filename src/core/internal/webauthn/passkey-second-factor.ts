import type { FirstFactor } from '../sessions/login-second-factor.js';

/**
 * RFC 8176 `amr` of a passkey sign-in. `hwk`: proof of possession of a key held by an authenticator.
 * With user verification (the authenticator checked a PIN or biometric, which RFC 8176 has no single
 * value for) it adds `user` and `mfa`: possession and the user's knowledge or body, two factors.
 */
export const PASSKEY_AMR = ['hwk'] as const;
export const VERIFIED_PASSKEY_AMR = ['hwk', 'user', 'mfa'] as const;

/**
 * A passkey *without* user verification (only possible when `userVerification` is not `required`) is a
 * possession factor alone: like a password alone, one factor, so the account's second factor is due
 * exactly as after a password (`secondFactorOfSignIn`). Its challenge (`passkey_login_challenge`)
 * remembers the first factor: completed, the session has amr `['hwk', 'otp' | 'sms', 'mfa']` and the
 * history method `passkey`.
 */
export const PASSKEY_FACTOR: FirstFactor = { method: 'passkey', amr: PASSKEY_AMR, challenge: 'passkey_login_challenge' };
