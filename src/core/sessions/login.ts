import { toAccountResource } from '../accounts/account-resource.js';
import { normalizeEmail, normalizePassword } from '../accounts/normalize.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError, isAuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import type { AccountRecord } from '../ports.js';
import { recordAttempt } from './login-history.js';
import { openSession, type TokenResponse } from './open-session.js';
import { loginThrottle } from './throttle.js';

export interface LoginInput extends RequestInfo {
  group?: string;
  email: string;
  password: string;
}

/**
 * Password login. An unknown email and a wrong password get the same answer after the same work (the
 * password is verified against a dummy hash); a locked account is revealed only after a correct
 * password. With `requireEmailVerification`, an unverified address is refused after a correct password
 * (`email_not_verified`). Failures count against the account and the IP address; every attempt lands
 * in the login history.
 *
 * @throws AuthError `invalid_credentials`, `account_locked`, `email_not_verified`, `rate_limited`
 * (with `retryAfter`), `validation_failed`
 * @example
 * ```ts
 * const { accessToken, refreshToken } = await auth.login({ email, password, ip, userAgent })
 * ```
 */
export async function login(ctx: AuthContext, input: LoginInput): Promise<TokenResponse> {
  const group = input.group ?? DEFAULT_GROUP;
  const email = safeNormalizeEmail(input.email);
  const password = normalizePassword(input.password);
  const attempt = { group, email, ip: input.ip, userAgent: input.userAgent, method: 'password' as const };
  const throttle = loginThrottle(ctx, group, email, input.ip);
  const dummy = ctx.dummyHash();

  try {
    await throttle.admit();
  } catch (error) {
    if (!isAuthError(error, 'rate_limited')) throw error;
    // Attributed to the account, so that its owner sees the attack in their login history.
    const target = await ctx.storage.accounts.findByEmail(group, email);
    const accountId = target && target.status !== 'deleted' ? target.id : null;
    await recordAttempt(ctx, { ...attempt, accountId, failureReason: 'rate_limited' });
    throw error;
  }

  const found = await ctx.storage.accounts.findByEmail(group, email);
  const account = found && found.status !== 'deleted' && found.passwordHash ? found : null;
  const valid = await ctx.hasher.verify(account?.passwordHash ?? (await dummy), password);

  if (!account || !valid) {
    const accountId = found && found.status !== 'deleted' ? found.id : null;
    await recordAttempt(ctx, { ...attempt, accountId, failureReason: 'invalid_credentials' });
    emit(ctx, 'account.login-failed', group, {
      account: account ? toAccountResource(account) : null,
      email,
      reason: 'invalid_credentials',
      ip: input.ip ?? null,
    });
    throw new AuthError('invalid_credentials', 'The email or password is incorrect.');
  }
  await throttle.succeed();
  if (account.status === 'locked') {
    await recordAttempt(ctx, { ...attempt, accountId: account.id, failureReason: 'account_locked' });
    throw new AuthError('account_locked', 'This account is locked.');
  }
  if (ctx.options.requireEmailVerification && !account.emailVerifiedAt) {
    await recordAttempt(ctx, { ...attempt, accountId: account.id, failureReason: 'email_not_verified' });
    throw new AuthError('email_not_verified', 'Verify your email address before signing in.');
  }

  const updated = await afterPasswordLogin(ctx, account, password, input);
  const { tokens, session } = await openSession(ctx, updated, ['pwd'], input);
  await recordAttempt(ctx, { ...attempt, accountId: account.id, failureReason: null });
  emit(ctx, 'account.logged-in', group, {
    account: tokens.account,
    sessionId: session.id,
    method: 'password',
    ip: input.ip ?? null,
  });
  return tokens;
}

/** Records the login on the account and upgrades a hash made with outdated parameters. */
async function afterPasswordLogin(
  ctx: AuthContext,
  account: AccountRecord,
  password: string,
  request: RequestInfo,
): Promise<AccountRecord> {
  const now = ctx.clock.now();
  const rehash = ctx.hasher.needsRehash(account.passwordHash!) ? await ctx.hasher.hash(password) : null;
  const updated = await ctx.storage.accounts.update(account.group, account.id, {
    lastLoginAt: now,
    lastLoginDevice: request.userAgent ?? null,
    ...(rehash ? { passwordHash: rehash } : {}),
  });
  if (rehash) ctx.logger.info('password hash upgraded to current parameters', { accountId: account.id });
  return updated ?? account;
}

/** A malformed email is a failed login like any other (same answer, same throttling). */
function safeNormalizeEmail(email: string): string {
  try {
    return normalizeEmail(email);
  } catch (error) {
    if (isAuthError(error, 'validation_failed')) return email.trim().normalize('NFKC').toLowerCase();
    throw error;
  }
}
