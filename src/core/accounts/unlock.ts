import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError, isAuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { admitClient } from '../limits/client-limit.js';
import type { AccountRecord } from '../ports.js';
import { finishLogin, recordRefusedLogin } from '../internal/sessions/finish-login.js';
import { recordAttempt } from '../internal/sessions/login-history.js';
import type { TokenResponse } from '../internal/sessions/open-session.js';
import { loginThrottle } from '../internal/sessions/throttle.js';
import { keyedSecondFactorThrottle } from '../internal/two-factor/throttle.js';
import { verifySecondFactor } from '../internal/two-factor/second-factor.js';
import { announceUnlock, PANIC_REASON, unlockedPatch } from '../internal/accounts/lift-panic-lock.js';
import { normalizeEmail, normalizePassword } from '../internal/accounts/normalize.js';
import { checkPasswordPolicy, type PasswordLengthPolicy } from '../internal/accounts/password-policy.js';
import { screenPassword } from '../internal/accounts/screen-password.js';
import { groupPolicy } from '../internal/groups/group-policy.js';
import { inTransaction } from '../internal/transaction.js';

/**
 * What `auth.unlockAccount` takes: the panic-locked account's email, one of its recovery codes, and the
 * new password it will have. No access token: every session ended with the lock.
 */
export interface UnlockAccountInput extends RequestInfo {
  /** Default `default`. */
  group?: string;
  email: string;
  /** One of the account's recovery codes; used up by a successful unlock. */
  recoveryCode: string;
  /** The account's new password (the old one may be what leaked). */
  newPassword: string;
}

const REFUSED = 'The email or recovery code is incorrect.';

/** The `unlockAccount` operation of `Auth`: the one place its documentation lives. */
export const unlockAccountOperation = {
  /**
   * Unlocks an account its owner panic-locked, with one of its recovery codes and a new password, and
   * signs in: resolves the token response (session `amr` `['otp']`: the recovery code is the one proof).
   * An account without recovery codes gets its way back through its mailbox instead (`resetPassword`
   * unlocks it: see `panicLockLiftsByMailbox`).
   *
   * - The new password is checked against the policy first (its length, then the `passwordPolicy`
   *   option; `validation_failed`, detail on `newPassword`), which costs no attempt and no code.
   * - Every other refusal is the same `invalid_credentials`: an unknown email, an account that is not
   *   panic-locked (active, or locked by an administrator, which only an administrator undoes) and a wrong
   *   or used recovery code are indistinguishable. The owner's login history shows the real reason.
   * - Attempts count against the login throttle (per email and IP, like a password guess) and the
   *   account's second-factor throttle (5 wrong codes → `rate_limited`, shared with two-factor login;
   *   an email without a panic-locked account gets a counter of the same rule, so the answers match).
   * - On success the code is used up (atomically: two unlocks with one code cannot both pass), the
   *   password is set, the account becomes `active`, any session left is revoked, an `account-unlocked`
   *   notice is mailed, `account.unlocked` and `account.logged-in` are emitted and the login history
   *   records method `unlock`.
   *
   * @throws AuthError `validation_failed`, `invalid_credentials`, `rate_limited` (with `retryAfter`)
   * @example
   * ```ts
   * const tokens = await auth.unlockAccount({ email, recoveryCode, newPassword })
   * ```
   */
  unlockAccount,
};

/** See {@link unlockAccountOperation}. */
export async function unlockAccount(ctx: AuthContext, input: UnlockAccountInput): Promise<TokenResponse> {
  const group = input.group ?? DEFAULT_GROUP;
  await admitClient(ctx, 'request', input.ip);
  const email = normalizedOrNull(input.email);
  const newPassword = normalizePassword(input.newPassword);
  checkNewPassword((await groupPolicy(ctx, group)).password, newPassword, email ?? '');
  await screenPassword(ctx, newPassword, { operation: 'unlock', group, email }, 'newPassword');
  const request = { ip: input.ip, userAgent: input.userAgent };
  if (!email) throw new AuthError('invalid_credentials', REFUSED);

  const found = await ctx.storage.accounts.findByEmail(group, email);
  const known = found && found.status !== 'deleted' ? found : null;
  const throttle = loginThrottle(ctx, group, email, input.ip, known);
  try {
    await throttle.admit();
  } catch (error) {
    if (known && isAuthError(error, 'rate_limited')) {
      await recordRefusedLogin(ctx, known, { ...request, method: 'unlock', reason: 'rate_limited' });
    }
    throw error;
  }

  const account = known?.status === 'locked' && known.statusReason === PANIC_REASON ? known : null;
  if (!account) {
    await refuseUnknown(ctx, group, email, known, request);
    throw new AuthError('invalid_credentials', REFUSED);
  }
  try {
    await verifySecondFactor(ctx, account, { recoveryCode: input.recoveryCode, ip: input.ip });
  } catch (error) {
    if (!isAuthError(error, 'invalid_two_factor') && !isAuthError(error, 'rate_limited')) throw error;
    await recordRefusedLogin(ctx, account, { ...request, method: 'unlock', reason: error.code });
    if (error.code === 'rate_limited') throw error;
    throw new AuthError('invalid_credentials', REFUSED);
  }
  await throttle.succeed();
  const unlocked = await setUnlocked(ctx, account, newPassword);
  return finishLogin(ctx, unlocked, { amr: ['otp'], method: 'unlock', ...request });
}

/** Sets the password, reactivates the account, ends any session, tells the owner and listeners. */
async function setUnlocked(ctx: AuthContext, account: AccountRecord, newPassword: string): Promise<AccountRecord> {
  const { group, id } = account;
  const passwordHash = await ctx.hasher.hash(newPassword);
  const now = ctx.clock.now();
  // The unlock, the sessions' end and their events are stored together.
  return inTransaction(ctx, async (tx) => {
    const updated = await tx.storage.accounts.update(group, id, {
      passwordHash,
      lastPasswordChangeAt: now,
      ...unlockedPatch(now),
      updatedAt: now,
    });
    if (!updated) throw new AuthError('invalid_credentials', REFUSED);
    const reason = 'account_unlocked';
    const sessionIds = await tx.storage.sessions.revokeAllForAccount(group, id, now, reason);
    if (sessionIds.length > 0) await emit(tx, 'session.revoked', group, { accountId: id, sessionIds, reason });
    await announceUnlock(tx, updated, 'recovery_code');
    return updated;
  });
}

/**
 * The refusal of an email without a panic-locked account: it spends an attempt of the same rules a
 * locked account's second factor would (15-minute and daily), so that both run out after the same
 * number of tries.
 */
async function refuseUnknown(
  ctx: AuthContext,
  group: string,
  email: string,
  known: AccountRecord | null,
  request: RequestInfo,
): Promise<void> {
  let refusal: AuthError | null = null;
  try {
    await keyedSecondFactorThrottle(ctx, `${group}:unlock:${email}`).admit();
  } catch (error) {
    if (!isAuthError(error, 'rate_limited')) throw error;
    refusal = error;
  }
  const reason = refusal ? 'rate_limited' : 'invalid_credentials';
  if (known) await recordRefusedLogin(ctx, known, { ...request, method: 'unlock', reason });
  else await recordAttempt(ctx, { group, accountId: null, email, method: 'unlock', ...request, failureReason: reason });
  if (refusal) throw refusal;
}

/** The password policy, reported on the field this flow calls `newPassword`. */
function checkNewPassword(policy: PasswordLengthPolicy, password: string, email: string): void {
  try {
    checkPasswordPolicy(password, email, policy);
  } catch (error) {
    if (!isAuthError(error, 'validation_failed')) throw error;
    throw new AuthError('validation_failed', error.message, {
      details: (error.details ?? []).map((d) => ({ ...d, path: 'newPassword' })),
    });
  }
}

/** A malformed email is refused like an unknown one, after the password policy. */
function normalizedOrNull(email: string): string | null {
  try {
    return normalizeEmail(email);
  } catch (error) {
    if (isAuthError(error, 'validation_failed')) return null;
    throw error;
  }
}
