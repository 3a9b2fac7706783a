import { twoFactorMethods } from '../accounts/account-resource.js';
import { issueOneTimeToken } from '../accounts/one-time-token.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError, isAuthError } from '../errors.js';
import type { AccountRecord, LoginMethod } from '../ports.js';
import { type SecondFactorProof, verifySecondFactor, withSecondFactor } from '../two-factor/second-factor.js';
import { recordRefusedLogin } from './finish-login.js';
import { recordAttempt } from './login-history.js';

/** A login challenge (the answer to a correct password when a second factor is due) lives 5 minutes. */
export const LOGIN_CHALLENGE_TTL = 5 * 60;

export interface PasswordSecondFactorInput extends RequestInfo {
  twoFactorCode?: string | undefined;
  twoFactorRecoveryCode?: string | undefined;
}

/**
 * The second-factor step of a password login, after the password and the account's state were found
 * good. Without a second factor enabled it adds nothing (`['pwd']`). With one:
 *
 * - a code in the request (`twoFactorCode`: a TOTP, or a code sent earlier; `twoFactorRecoveryCode`)
 *   is checked at once (the one-step form) and the session gets `['pwd', 'otp' | 'sms', 'mfa']`;
 * - without one, a single-use 5-minute `login_challenge` is issued (only the account's newest works)
 *   and the answer is `two_factor_required` with `{ methods, challenge }`. The login history records it
 *   as a failure with reason `two_factor_required`: the password was right, and an owner who did not
 *   try to sign in should see that someone holds their password.
 *
 * @returns the `amr` of the session to open
 * @throws AuthError `two_factor_required` (with `extra: { methods, challenge }`), `invalid_two_factor`,
 * `rate_limited`
 */
export async function passwordSecondFactor(
  ctx: AuthContext,
  account: AccountRecord,
  input: PasswordSecondFactorInput,
): Promise<string[]> {
  const methods = twoFactorMethods(account);
  if (methods.length === 0) return ['pwd'];
  if (!input.twoFactorCode && !input.twoFactorRecoveryCode) {
    const challenge = await issueOneTimeToken(ctx, 'login_challenge', account, LOGIN_CHALLENGE_TTL);
    await recordAttempt(ctx, {
      group: account.group,
      accountId: account.id,
      email: account.email,
      method: 'password',
      ip: input.ip,
      userAgent: input.userAgent,
      failureReason: 'two_factor_required',
    });
    throw new AuthError('two_factor_required', 'A second factor is required.', { extra: { methods, challenge } });
  }
  const proof = input.twoFactorCode ? { code: input.twoFactorCode } : { recoveryCode: input.twoFactorRecoveryCode };
  const amr = await verifySecondFactorOfLogin(ctx, account, proof, { ...input, method: 'password' });
  return withSecondFactor(['pwd'], amr);
}

/**
 * {@link verifySecondFactor} for a sign-in: a refused proof (`invalid_two_factor`, `rate_limited`) is
 * recorded in the login history under `method` and emitted as `account.login-failed`.
 */
export async function verifySecondFactorOfLogin(
  ctx: AuthContext,
  account: AccountRecord,
  proof: SecondFactorProof,
  request: RequestInfo & { method: LoginMethod },
): Promise<string[]> {
  try {
    return (await verifySecondFactor(ctx, account, proof)).amr;
  } catch (error) {
    if (isAuthError(error, 'invalid_two_factor') || isAuthError(error, 'rate_limited')) {
      await recordRefusedLogin(ctx, account, { ...request, reason: error.code });
    }
    throw error;
  }
}
