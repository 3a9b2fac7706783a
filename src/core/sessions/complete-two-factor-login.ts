import { twoFactorMethods } from '../internal/accounts/account-resource.js';
import { findLiveOneTimeToken } from '../internal/accounts/find-one-time-token.js';
import { consumeOneTimeToken } from '../internal/accounts/one-time-token.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError } from '../errors.js';
import { sendOtpCode } from '../internal/otp/send-otp-code.js';
import type { AccountRecord, LoginMethod, OneTimeTokenPurpose, OneTimeTokenRecord } from '../ports.js';
import { PASSKEY_AMR } from '../internal/webauthn/passkey-second-factor.js';
import { withSecondFactor } from '../internal/two-factor/second-factor.js';
import { finishLogin } from '../internal/sessions/finish-login.js';
import { recordAttempt } from '../internal/sessions/login-history.js';
import { verifySecondFactorOfLogin } from '../internal/sessions/login-second-factor.js';
import type { TokenResponse } from '../internal/sessions/open-session.js';
import { admitClient } from '../limits/client-limit.js';

/**
 * What `auth.completeTwoFactorLogin` takes: the challenge a first factor earned, and either a second
 * factor (`code` or `recoveryCode`) or, with `method` alone, a request to send a code.
 */
export interface CompleteTwoFactorLoginInput extends RequestInfo {
  /** Default `default`; a challenge of another group is invalid. */
  group?: string;
  /** The `challenge` of the `two_factor_required` answer. */
  challenge: string;
  /** A TOTP, or the email/SMS code sent for this login (`method` says which). */
  code?: string | undefined;
  /** One of the account's recovery codes, instead of `code`. */
  recoveryCode?: string | undefined;
  /** What `code` is; alone (`email` / `sms`, no code), asks for a code to be sent. */
  method?: 'totp' | 'email' | 'sms' | undefined;
}

/** The answer when a code was only sent: the caller comes back with it and the same challenge. */
export interface CodeSent {
  status: 'code_sent';
}

const INVALID_CHALLENGE = 'The token is invalid, expired or already used.';

/** The challenges a first factor earns: a password's, or a passkey's without user verification. */
const LOGIN_CHALLENGES: readonly OneTimeTokenPurpose[] = ['login_challenge', 'passkey_login_challenge'];

/** The first factor a challenge stands for: its login-history method and its part of the `amr`. */
function firstFactorOf(challenge: OneTimeTokenRecord): { method: LoginMethod; amr: string[] } {
  return challenge.purpose === 'passkey_login_challenge'
    ? { method: 'passkey', amr: [...PASSKEY_AMR] }
    : { method: 'password', amr: ['pwd'] };
}

/** The `completeTwoFactorLogin` operation of `Auth`: the one place its documentation lives. */
export const completeTwoFactorLoginOperation = {
  /**
   * The second step of a two-factor login: the `challenge` a correct password earned (or a passkey
   * without user verification: `verifyWebauthnLogin`), with a second factor. Answers the token response,
   * with `amr` `['pwd', 'otp' | 'sms', 'mfa']` (after a passkey `['hwk', 'otp' | 'sms', 'mfa']`); the login
   * history records the first factor's method (`password` or `passkey`).
   *
   * - `{ challenge, method: 'email' | 'sms' }` without a code sends a login code over that channel (an
   *   enabled one) and resolves `{ status: 'code_sent' }`; the challenge stays usable.
   * - With `code` or `recoveryCode`, the factor is checked first (see `verifySecondFactor`: throttled, 5
   *   wrong in a row → `rate_limited`; failures are in the login history), so a mistyped code does not
   *   spend the challenge. Then the challenge is used up atomically: of concurrent completions of one
   *   challenge exactly one opens a session, the others get `invalid_token`.
   * - The challenge is refused (`invalid_token`) when unknown, used, replaced by a newer login's, expired
   *   (5 minutes), of another group, or older than the account's last password change or unlock; a
   *   locked account answers `account_locked`, also when it was locked between the two steps.
   *
   * @throws AuthError `invalid_token`, `account_locked`, `invalid_two_factor`, `rate_limited`,
   * `validation_failed` (neither a code nor a channel to send one), `mail_delivery_failed`
   * @example
   * ```ts
   * const tokens = await auth.completeTwoFactorLogin({ challenge, code: form.code })
   * ```
   */
  completeTwoFactorLogin,
};

/** See {@link completeTwoFactorLoginOperation}. */
export async function completeTwoFactorLogin(
  ctx: AuthContext,
  input: CompleteTwoFactorLoginInput,
): Promise<TokenResponse | CodeSent> {
  const group = input.group ?? DEFAULT_GROUP;
  await admitClient(ctx, 'request', input.ip);
  const request = { ip: input.ip, userAgent: input.userAgent };
  const challenge = await findLiveOneTimeToken(ctx, LOGIN_CHALLENGES, group, input.challenge);
  const first = firstFactorOf(challenge);
  const account = await challengedAccount(ctx, challenge, { ...request, method: first.method });

  if (!input.code && !input.recoveryCode) {
    if (input.method !== 'email' && input.method !== 'sms') {
      throw new AuthError('validation_failed', 'A code or a recovery code is required.', {
        details: [{ path: 'code', message: 'is required' }],
      });
    }
    if (!twoFactorMethods(account).includes(input.method)) {
      throw new AuthError('validation_failed', 'This account does not use that method.', {
        details: [{ path: 'method', message: 'is not enabled for this account' }],
      });
    }
    await sendOtpCode(ctx, account, input.method, 'login', request);
    return { status: 'code_sent' };
  }

  const proof = { code: input.code, recoveryCode: input.recoveryCode, method: input.method };
  const factor = await verifySecondFactorOfLogin(ctx, account, proof, { ...request, method: first.method });
  await consumeOneTimeToken(ctx, challenge.purpose, group, input.challenge);
  // Read again: a panic lock between the two steps must win.
  const current = await challengedAccount(ctx, challenge, { ...request, method: first.method });
  return finishLogin(ctx, current, { amr: withSecondFactor(first.amr, factor), method: first.method, ...request });
}

/** The account a challenge was issued to, if the challenge still speaks for it. */
async function challengedAccount(
  ctx: AuthContext,
  challenge: OneTimeTokenRecord,
  request: RequestInfo & { method: LoginMethod },
): Promise<AccountRecord> {
  const account = await ctx.storage.accounts.findById(challenge.group, challenge.accountId);
  if (!account || account.status === 'deleted' || account.email !== challenge.email) {
    throw new AuthError('invalid_token', INVALID_CHALLENGE);
  }
  if (account.status === 'locked') {
    await recordAttempt(ctx, {
      group: account.group,
      accountId: account.id,
      email: account.email,
      ...request,
      failureReason: 'account_locked',
    });
    throw new AuthError('account_locked', 'This account is locked.');
  }
  // The challenge proves the password of its time: a new password or an unlock since voids it.
  const issued = challenge.createdAt.getTime();
  const changed = Math.max(account.lastPasswordChangeAt?.getTime() ?? 0, account.statusChangedAt.getTime());
  if (changed > issued) throw new AuthError('invalid_token', INVALID_CHALLENGE);
  return account;
}
