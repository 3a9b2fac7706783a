import { twoFactorMethods } from '../accounts/account-resource.js';
import { issueOneTimeToken } from '../accounts/one-time-token.js';
import type { AuthContext, RequestInfo } from '../../context.js';
import { AuthError, isAuthError } from '../../errors.js';
import { sendMailInBackground } from '../../mail/send-mail.js';
import { toAccountResource } from '../accounts/account-resource.js';
import type { AccountRecord, LoginMethod, OneTimeTokenPurpose, RateLimitRule } from '../../ports.js';
import { type SecondFactorProof, verifySecondFactor, withSecondFactor } from '../two-factor/second-factor.js';
import { recordRefusedLogin } from './finish-login.js';
import { recordAttempt } from './login-history.js';

/** A login challenge (the answer to a correct first factor when a second is due) lives 5 minutes. */
export const LOGIN_CHALLENGE_TTL = 5 * 60;

/** The first factor of a sign-in that may still owe a second one. */
export interface FirstFactor {
  /** How the login history and events name the sign-in. */
  method: Extract<LoginMethod, 'password' | 'passkey'>;
  /** Its RFC 8176 `amr` (`['pwd']`, `['hwk']`). */
  amr: readonly string[];
  /** The challenge it earns, which remembers the first factor for `completeTwoFactorLogin`. */
  challenge: Extract<OneTimeTokenPurpose, 'login_challenge' | 'passkey_login_challenge'>;
}

export const PASSWORD_FACTOR: FirstFactor = { method: 'password', amr: ['pwd'], challenge: 'login_challenge' };

/** The second factor a sign-in may carry in the same request, so that it completes in one step. */
export interface SecondFactorInput extends RequestInfo {
  /** A current TOTP, or an email or SMS code sent for this sign-in. */
  twoFactorCode?: string | undefined;
  /** One of the account's recovery codes instead (used up when accepted). */
  twoFactorRecoveryCode?: string | undefined;
}

/**
 * The second-factor step of a sign-in, after the first factor and the account's state were found good
 * (a password; a passkey without user verification). The one place it is decided for every such path.
 * Without a second factor enabled it adds nothing (the first factor's `amr`). With one:
 *
 * - a code in the request (`twoFactorCode`: a TOTP, or a code sent earlier; `twoFactorRecoveryCode`)
 *   is checked at once (the one-step form) and the session gets the first factor's `amr` plus
 *   `otp` | `sms` and `mfa`;
 * - without one, a single-use 5-minute challenge is issued (only the account's newest works) and the
 *   answer is `two_factor_required` with `{ methods, challenge }`. The login history records it as a
 *   failure with reason `two_factor_required`: the first factor was right, and an owner who did not try
 *   to sign in should see that someone holds it.
 *
 * @returns the `amr` of the session to open
 * @throws AuthError `two_factor_required` (with `extra: { methods, challenge }`), `invalid_two_factor`,
 * `rate_limited`
 * @example
 * ```ts
 * const amr = await secondFactorOfSignIn(ctx, account, PASSWORD_FACTOR, input)
 * ```
 */
export async function secondFactorOfSignIn(
  ctx: AuthContext,
  account: AccountRecord,
  first: FirstFactor,
  input: SecondFactorInput,
): Promise<string[]> {
  const methods = twoFactorMethods(account);
  if (methods.length === 0) return [...first.amr];
  if (!input.twoFactorCode && !input.twoFactorRecoveryCode) {
    const challenge = await issueOneTimeToken(ctx, first.challenge, account, LOGIN_CHALLENGE_TTL);
    await recordAttempt(ctx, {
      group: account.group,
      accountId: account.id,
      email: account.email,
      method: first.method,
      ip: input.ip,
      userAgent: input.userAgent,
      failureReason: 'two_factor_required',
    });
    throw new AuthError('two_factor_required', 'A second factor is required.', { extra: { methods, challenge } });
  }
  const proof = input.twoFactorCode ? { code: input.twoFactorCode } : { recoveryCode: input.twoFactorRecoveryCode };
  const amr = await verifySecondFactorOfLogin(ctx, account, proof, { ...input, method: first.method });
  return withSecondFactor([...first.amr], amr);
}

/** Second-step failures after a correct first factor, per account, before the owner is told (3 an hour). */
const FAILURES_BEFORE_ALERT: RateLimitRule = { name: 'second-step-failures', points: 2, durationSeconds: 3600 };
/** At most one such alert per account a day. */
const ALERTS: RateLimitRule = { name: 'second-step-alert', points: 1, durationSeconds: 86_400 };

/**
 * `verifySecondFactor` for a sign-in: a refused proof (`invalid_two_factor`, `rate_limited`) is
 * recorded in the login history under `method` (a throttled one at most once per window, see
 * `recordRefusedLogin`) and emitted as `account.login-failed`. Repeated failures after a correct first
 * factor mean someone holds the password: the owner is mailed (at most once a day).
 */
export async function verifySecondFactorOfLogin(
  ctx: AuthContext,
  account: AccountRecord,
  proof: SecondFactorProof,
  request: RequestInfo & { method: LoginMethod },
): Promise<string[]> {
  try {
    return (await verifySecondFactor(ctx, account, { ...proof, ip: request.ip })).amr;
  } catch (error) {
    if (isAuthError(error, 'invalid_two_factor') || isAuthError(error, 'rate_limited')) {
      await recordRefusedLogin(ctx, account, { ...request, reason: error.code });
    }
    if (isAuthError(error, 'invalid_two_factor')) await alertAfterRepeatedFailures(ctx, account);
    throw error;
  }
}

async function alertAfterRepeatedFailures(ctx: AuthContext, account: AccountRecord): Promise<void> {
  const key = `${account.group}:${account.id}`;
  if ((await ctx.rateLimiter.hit(FAILURES_BEFORE_ALERT, key)).allowed) return;
  if (!(await ctx.rateLimiter.hit(ALERTS, key)).allowed) return;
  void sendMailInBackground(ctx, { kind: 'second-factor-failures', to: account.email, account: toAccountResource(account) });
}
