import { toAccountResource } from '../internal/accounts/account-resource.js';
import { mailVerificationInBackground } from '../internal/accounts/verification-mail.js';
import { lookupEmail, normalizePassword } from '../internal/accounts/normalize.js';
import type { AuthContext } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError, isAuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { admitClient } from '../limits/client-limit.js';
import type { AccountRecord } from '../ports.js';
import { finishLogin } from '../internal/sessions/finish-login.js';
import { recordAttempt } from '../internal/sessions/login-history.js';
import { PASSWORD_FACTOR, secondFactorOfSignIn, type SecondFactorInput } from '../internal/sessions/login-second-factor.js';
import type { TokenResponse } from '../internal/sessions/open-session.js';
import { loginThrottle } from '../internal/sessions/throttle.js';
import { groupPolicy } from '../internal/groups/group-policy.js';
import { inTransaction } from '../internal/transaction.js';
import { ensureGroupExists } from '../internal/groups/require-group.js';

/**
 * What `auth.login` takes: the email and password, the second factor when the caller sends it in the
 * same request, and the caller's address and user agent for the throttle and the login history.
 */
export interface LoginInput extends SecondFactorInput {
  /** The account's group (default `default`). */
  group?: string;
  email: string;
  password: string;
  /** The one-step form of two-factor login: a current TOTP (or a code sent earlier). */
  twoFactorCode?: string | undefined;
  /** The one-step form with a recovery code instead (used up when accepted). */
  twoFactorRecoveryCode?: string | undefined;
}

/** The `login` operation of `Auth`: the one place its documentation lives. */
export const loginOperation = {
  /**
   * Password login. An unknown email and a wrong password get the same answer after the same work (the
   * password is verified against a dummy hash); a locked account is revealed only after a correct
   * password. With `requireEmailVerification` (the option, or the group's setting over it), an
   * unverified address is refused after a correct password (`email_not_verified`). In a group whose
   * settings have `requireTwoFactor`, an account without a second factor still signs in, but the token
   * response says `twoFactorSetupRequired: true` and its tokens reach only the routes that set one up
   * (see `twoFactorSetupRequired`). Failures count against the account and the IP address; every attempt lands
   * in the login history.
   *
   * When the account has a second factor, a correct password alone answers `two_factor_required` with the
   * enabled `methods` and a single-use 5-minute `challenge` for `completeTwoFactorLogin`; or the request
   * carries the factor itself (`twoFactorCode` / `twoFactorRecoveryCode`) and the login completes in one
   * step. Wrong second factors count against the account's second-factor throttle (5 in a row →
   * `rate_limited`) and are recorded in the login history. See `secondFactorOfSignIn`.
   *
   * @throws AuthError `invalid_credentials`, `account_locked`, `email_not_verified`, `two_factor_required`
   * (with `extra: { methods, challenge }`), `invalid_two_factor`, `rate_limited` (with `retryAfter`),
   * `validation_failed`
   * @example
   * ```ts
   * try {
   *   return await auth.login({ email, password, ip, userAgent })
   * } catch (e) {
   *   if (isAuthError(e, 'two_factor_required')) askForCode(e.extra.methods, e.extra.challenge)
   *   else throw e
   * }
   * ```
   */
  login,
};

/** See {@link loginOperation}. */
export async function login(ctx: AuthContext, input: LoginInput): Promise<TokenResponse> {
  const group = input.group ?? DEFAULT_GROUP;
  // Every attempt, right or wrong, costs a password hash and writes rows: counted per client first.
  await admitClient(ctx, 'request', input.ip);
  // A malformed email is a failed login like any other (same answer, same throttling).
  const email = lookupEmail(input.email);
  const password = normalizePassword(input.password);
  const attempt = { group, email, ip: input.ip, userAgent: input.userAgent, method: 'password' as const };
  const dummy = ctx.dummyHash();
  // Read first, for unknown and known emails alike: the throttle exempts the owner's own clients.
  const found = await ctx.storage.accounts.findByEmail(group, email);
  const throttle = loginThrottle(ctx, group, email, input.ip, found && found.status !== 'deleted' ? found : null);

  try {
    await throttle.admit();
  } catch (error) {
    if (!isAuthError(error, 'rate_limited')) throw error;
    // Attributed to the account, so that its owner sees the attack in their login history (once per window).
    const accountId = found && found.status !== 'deleted' ? found.id : null;
    await recordAttempt(ctx, { ...attempt, accountId, failureReason: 'rate_limited' });
    throw error;
  }

  const account = found && found.status !== 'deleted' && found.passwordHash ? found : null;
  const valid = await ctx.hasher.verify(account?.passwordHash ?? (await dummy), password);

  if (!account || !valid) {
    const accountId = found && found.status !== 'deleted' ? found.id : null;
    await refuseSignIn(ctx, { ...attempt, accountId }, account, 'invalid_credentials', input.ip);
    throw new AuthError('invalid_credentials', 'The email or password is incorrect.');
  }
  await throttle.succeed();
  if (account.status === 'locked') {
    await refuseSignIn(ctx, { ...attempt, accountId: account.id }, account, 'account_locked', input.ip);
    throw new AuthError('account_locked', 'This account is locked.');
  }
  if ((await groupPolicy(ctx, group)).requireEmailVerification && !account.emailVerifiedAt) {
    await refuseSignIn(ctx, { ...attempt, accountId: account.id }, account, 'email_not_verified', input.ip);
    await remindToVerify(ctx, account);
    throw new AuthError('email_not_verified', 'Verify your email address before signing in. We sent a new link.');
  }

  const upgraded = await upgradePasswordHash(ctx, account, password);
  const amr = await secondFactorOfSignIn(ctx, upgraded, PASSWORD_FACTOR, input);
  return finishLogin(ctx, upgraded, { amr, method: 'password', ip: input.ip, userAgent: input.userAgent });
}

/**
 * A refused sign-in: its history entry and `account.login-failed` (with the reason), stored together.
 * Throttled attempts are not announced: the history records them once per window, and an event per
 * attempt would let a flood of guesses flood the outbox too.
 */
async function refuseSignIn(
  ctx: AuthContext,
  attempt: Omit<Parameters<typeof recordAttempt>[1], 'failureReason'>,
  account: AccountRecord | null,
  reason: 'invalid_credentials' | 'account_locked' | 'email_not_verified',
  ip: string | null | undefined,
): Promise<void> {
  // The default group is made on first use, and the outbox belongs to a group: make sure it exists.
  const groupExists = await ensureGroupExists(ctx, attempt.group).then(
    () => true,
    (error: unknown) => (isAuthError(error, 'not_found') ? false : Promise.reject(error)),
  );
  if (!groupExists) return;
  await inTransaction(ctx, async (tx) => {
    await recordAttempt(tx, { ...attempt, failureReason: reason });
    const data = { account: account ? toAccountResource(account) : null, email: attempt.email ?? '', reason, ip: ip ?? null };
    await emit(tx, 'account.login-failed', attempt.group, data);
  });
}

/**
 * Upgrades a hash made with outdated parameters, while the password is at hand: right after it was
 * verified, even when the second factor is still to come.
 */
async function upgradePasswordHash(ctx: AuthContext, account: AccountRecord, password: string): Promise<AccountRecord> {
  if (!ctx.hasher.needsRehash(account.passwordHash!)) return account;
  const updated = await ctx.storage.accounts.update(account.group, account.id, {
    passwordHash: await ctx.hasher.hash(password),
  });
  ctx.logger.info('password hash upgraded to current parameters', { accountId: account.id });
  return updated ?? account;
}

/** Fresh verification mails sent on refused logins, per account: enough to recover, too few to spam. */
const VERIFICATION_REMINDER_RULE = { name: 'verification-reminder', points: 3, durationSeconds: 3600 };

/**
 * Someone with the right password but an unverified address cannot sign in, so cannot ask for a new
 * verification mail either: send one (in the background, a few an hour at most).
 */
async function remindToVerify(ctx: AuthContext, account: AccountRecord): Promise<void> {
  const decision = await ctx.rateLimiter.hit(VERIFICATION_REMINDER_RULE, `${account.group}:${account.id}`);
  if (decision.allowed) void mailVerificationInBackground(ctx, account);
}
