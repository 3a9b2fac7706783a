import { twoFactorMethods } from '../accounts/account-resource.js';
import { issueOneTimeToken } from '../accounts/one-time-token.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError } from '../errors.js';
import type { AccountRecord } from '../ports.js';
import { recordAttempt } from '../sessions/login-history.js';
import { LOGIN_CHALLENGE_TTL, verifySecondFactorOfLogin } from '../sessions/login-second-factor.js';
import { withSecondFactor } from '../two-factor/second-factor.js';

/**
 * RFC 8176 `amr` of a passkey sign-in. `hwk`: proof of possession of a key held by an authenticator.
 * With user verification (the authenticator checked a PIN or biometric, which RFC 8176 has no single
 * value for) it adds `user` and `mfa`: possession and the user's knowledge or body, two factors.
 */
export const PASSKEY_AMR = ['hwk'] as const;
export const VERIFIED_PASSKEY_AMR = ['hwk', 'user', 'mfa'] as const;

export interface PasskeySecondFactorInput extends RequestInfo {
  twoFactorCode?: string | undefined;
  twoFactorRecoveryCode?: string | undefined;
}

/**
 * The second-factor step of a passkey sign-in *without* user verification (only possible when
 * `userVerification` is not `required`): a possession factor alone, like a password alone, is one
 * factor. An account without a second factor signs in with `['hwk']`. One with a second factor needs it,
 * exactly as after a password: in the request (`twoFactorCode` / `twoFactorRecoveryCode`, amr
 * `['hwk', 'otp' | 'sms', 'mfa']`), or in a second step: `two_factor_required` with `{ methods,
 * challenge }` for `completeTwoFactorLogin` (a `passkey_login_challenge`: completed, the session has amr
 * `['hwk', 'otp' | 'sms', 'mfa']` and the history method `passkey`). Refusals land in the login history under `passkey`.
 *
 * @returns the `amr` of the session to open
 * @throws AuthError `two_factor_required` (with `extra: { methods, challenge }`), `invalid_two_factor`,
 * `rate_limited`
 */
export async function passkeySecondFactor(
  ctx: AuthContext,
  account: AccountRecord,
  input: PasskeySecondFactorInput,
): Promise<string[]> {
  const methods = twoFactorMethods(account);
  if (methods.length === 0) return [...PASSKEY_AMR];
  if (!input.twoFactorCode && !input.twoFactorRecoveryCode) {
    // Its purpose records the first factor, so the completed login is a passkey one (amr `hwk`).
    const challenge = await issueOneTimeToken(ctx, 'passkey_login_challenge', account, LOGIN_CHALLENGE_TTL);
    await recordAttempt(ctx, {
      group: account.group,
      accountId: account.id,
      email: account.email,
      method: 'passkey',
      ip: input.ip,
      userAgent: input.userAgent,
      failureReason: 'two_factor_required',
    });
    throw new AuthError('two_factor_required', 'A second factor is required.', { extra: { methods, challenge } });
  }
  const proof = input.twoFactorCode ? { code: input.twoFactorCode } : { recoveryCode: input.twoFactorRecoveryCode };
  const amr = await verifySecondFactorOfLogin(ctx, account, proof, { ...input, method: 'passkey' });
  return withSecondFactor([...PASSKEY_AMR], amr);
}
