import type { AuthContext, RequestInfo } from '../context.js';
import type { AccountRecord, OneTimeTokenPurpose, OneTimeTokenRecord } from '../ports.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { admitClient } from '../limits/client-limit.js';
import { sendMailInBackground } from '../mail/send-mail.js';
import { loginThrottle } from '../internal/sessions/throttle.js';
import { toAccountResource } from '../internal/accounts/account-resource.js';
import { normalizePassword } from '../internal/accounts/normalize.js';
import { findLiveOneTimeToken } from '../internal/accounts/find-one-time-token.js';
import { forgetUnprovenSetup } from '../internal/accounts/forget-unproven-setup.js';
import { announceUnlock, panicLockLiftsByMailbox, unlockedPatch } from '../internal/accounts/lift-panic-lock.js';
import { consumeOneTimeToken } from '../internal/accounts/one-time-token.js';
import { checkPasswordPolicy } from '../internal/accounts/password-policy.js';
import { screenPassword } from '../internal/accounts/screen-password.js';
import { groupPolicy } from '../internal/groups/group-policy.js';
import { assertSecondFactorForReset } from '../internal/accounts/second-factor-for-reset.js';
import { inTransaction } from '../internal/transaction.js';

/**
 * What `auth.resetPassword` takes: the token from the reset mail, the new password and, when the
 * account has a second factor other than its mailbox, that factor: a mailbox alone must not get past it.
 */
export interface ResetPasswordInput extends RequestInfo {
  /** Default `default`. */
  group?: string;
  /** The token from the reset mail. */
  token: string;
  /** The new password. */
  password: string;
  /**
   * Needed when the account has TOTP or SMS codes on: a current TOTP, or an unused recovery code (the
   * only choice for SMS, since a reset cannot have a code texted).
   */
  twoFactorCode?: string;
}

const INVALID_TOKEN = 'The token is invalid, expired or already used.';
/** A reset mail's token, or the claim link of an imported account (`importAccounts`), which is one too. */
const RESET_PURPOSES: readonly OneTimeTokenPurpose[] = ['password_reset', 'account_claim'];

/** The `resetPassword` operation of `Auth`: the one place its documentation lives. */
export const resetPasswordOperation = {
  /**
   * Sets a new password with a reset token, then ends every session of the account (all refresh and
   * access tokens stop working) and mails the owner a `password-changed` notice.
   *
   * - Every check runs before the token is used: the token is read first (not spent), then the account,
   *   the password policy (length, then the `passwordPolicy` option) and the second factor are checked,
   *   and only then is the token used up (atomically: of concurrent resets with one token exactly one sets
   *   the password). A refused password or a missing or wrong second factor leaves the token usable.
   * - The token must have been mailed to the address the account has now; a deleted account's token is
   *   invalid, and a locked account stays locked (`account_locked`), except one its owner panic-locked
   *   that has no recovery codes (or whose address was never proven): the reset is its way back, and it
   *   unlocks it (`account.unlocked`, and the `account-unlocked` notice instead of `password-changed`; see
   *   `panicLockLiftsByMailbox`). An account with recovery codes unlocks only with one (`unlockAccount`).
   * - The token speaks for the account as it was when it was mailed: one not issued strictly after the
   *   account's last password change (a change, another reset, registration) and last state change (a
   *   panic lock, an unlock) is invalid, so securing the account also kills every reset link in flight.
   * - An account with a second factor must present it (`twoFactorCode`: a TOTP or a recovery code), so a
   *   reset mail alone never gets past two-factor authentication (see `assertSecondFactorForReset`),
   *   unless its address was never proven: see the next point.
   * - Using the token proves control of the mailbox, so the address is marked verified as well. When it
   *   was not verified yet, this is the first proof of the mailbox: everything set up before it (passkeys,
   *   TOTP, phone, email codes, recovery codes, support login) is forgotten and every session ends
   *   (reason `email_proven`), see `forgetUnprovenSetup`; no second factor is asked for.
   * - The account's failed-login counter is cleared, so the owner can sign in with the new password at once.
   * - The claim link mailed to an imported account (`importAccounts`, valid `importClaimTtl`) is a reset
   *   token too: it sets the first password and verifies the address the same way.
   * - It is not a login: no session is opened. Only a refused second factor is added to the login history
   *   (method `reset`).
   *
   * @throws AuthError `validation_failed` (password policy), `invalid_token`, `account_locked`,
   * `two_factor_required` (with `extra: { methods }`), `invalid_two_factor`, `rate_limited`
   * @example
   * ```ts
   * await auth.resetPassword({ token, password: form.password, twoFactorCode: form.code })
   * ```
   */
  resetPassword,
};

/** See {@link resetPasswordOperation}. */
export async function resetPassword(ctx: AuthContext, input: ResetPasswordInput): Promise<void> {
  const group = input.group ?? DEFAULT_GROUP;
  await admitClient(ctx, 'request', input.ip);
  const password = normalizePassword(input.password);
  // No address yet: with an empty email only the length rules apply (the group's, which may ask for more).
  const { password: policy } = await groupPolicy(ctx, group);
  checkPasswordPolicy(password, '', policy);

  const token = await findLiveOneTimeToken(ctx, RESET_PURPOSES, group, input.token);
  const account = await ctx.storage.accounts.findById(group, token.accountId);
  if (!account || account.status === 'deleted' || account.email !== token.email) {
    throw new AuthError('invalid_token', INVALID_TOKEN);
  }
  const unlocks = panicLockLiftsByMailbox(account);
  if (account.status === 'locked' && !unlocks) throw new AuthError('account_locked', 'This account is locked.');
  if (!issuedSinceLastChange(token, account)) throw new AuthError('invalid_token', INVALID_TOKEN);
  checkPasswordPolicy(password, account.email, policy);
  // Only a live token gets this far, so anonymous callers cannot drive a breach service at will.
  await screenPassword(ctx, password, { operation: 'reset', group, email: account.email });
  await assertSecondFactorForReset(ctx, account, {
    twoFactorCode: input.twoFactorCode,
    ip: input.ip,
    userAgent: input.userAgent,
  });
  // Every check passed: now spend the token. Only one of concurrent resets gets past this line.
  await consumeOneTimeToken(ctx, token.purpose, group, input.token);
  // The first proof of the mailbox forgets what was set up before it (nothing when already verified).
  if (!(await forgetUnprovenSetup(ctx, account))) throw new AuthError('invalid_token', INVALID_TOKEN);

  const passwordHash = await ctx.hasher.hash(password);
  const now = ctx.clock.now();
  // The new password, the sessions' end, the unlock and their events are stored together.
  const { updated, resource } = await inTransaction(ctx, async (tx) => {
    const updated = await tx.storage.accounts.update(group, account.id, {
      passwordHash,
      lastPasswordChangeAt: now,
      updatedAt: now,
      emailVerifiedAt: account.emailVerifiedAt ?? now,
      ...(unlocks ? unlockedPatch(now) : {}),
    });
    if (!updated) throw new AuthError('invalid_token', INVALID_TOKEN);
    const reason = 'password_reset';
    const sessionIds = await tx.storage.sessions.revokeAllForAccount(group, account.id, now, reason);
    if (sessionIds.length > 0) await emit(tx, 'session.revoked', group, { accountId: account.id, sessionIds, reason });
    const resource = toAccountResource(updated);
    if (unlocks) await announceUnlock(tx, updated, 'password_reset');
    await emit(tx, 'account.password-reset', group, { account: resource });
    return { updated, resource };
  });
  // The owner proved the mailbox and chose a new password: every failed guess of the old one is forgotten.
  await loginThrottle(ctx, group, account.email, null, updated).clear();
  if (!unlocks) void sendMailInBackground(ctx, { kind: 'password-changed', to: updated.email, account: resource });
}

/**
 * Whether `token` was issued strictly after the account's last password change and last state change.
 * A token stamped with the very millisecond of a change cannot be ordered against it, so it is refused:
 * the doubt goes against the token (a real reset mail always follows its account's last change by far
 * more; a test whose clock stands still must move it on between a change and a reset request).
 */
function issuedSinceLastChange(token: OneTimeTokenRecord, account: AccountRecord): boolean {
  const issued = token.createdAt.getTime();
  const changes = [account.lastPasswordChangeAt, account.statusChangedAt];
  // A claim link is issued in the same step as its imported account: the creation does not void it.
  const created = token.purpose === 'account_claim' ? account.createdAt.getTime() : null;
  return changes.every((change) => change === null || issued > change.getTime() || change.getTime() === created);
}
