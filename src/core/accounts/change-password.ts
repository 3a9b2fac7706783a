import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { sendMailInBackground } from '../mail/send-mail.js';
import { loginThrottle } from '../internal/sessions/throttle.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import { normalizePassword } from '../internal/accounts/normalize.js';
import { checkPasswordPolicy } from '../internal/accounts/password-policy.js';
import { screenPassword } from '../internal/accounts/screen-password.js';
import { groupPolicy } from '../internal/groups/group-policy.js';
import { DEFAULT_GROUP } from '../context.js';
import { inTransaction } from '../internal/transaction.js';

/**
 * What `auth.changePassword` takes: the signed-in account and its session (from the access token), the
 * current password as proof, and the new one.
 */
export interface ChangePasswordInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  accountId: string;
  /** The caller's session: it stays signed in, every other session ends. */
  sessionId: string;
  /** The password the account has now. */
  current: string;
  /** The new password. */
  next: string;
}

/** The `changePassword` operation of `Auth`: the one place its documentation lives. */
export const changePasswordOperation = {
  /**
   * Changes the password of a signed-in account, which must prove it knows the current one. The other
   * sessions end (their refresh and access tokens stop working), the caller's stays, and the owner is
   * mailed a `password-changed` notice.
   *
   * Wrong current passwords count against the same per-account and per-IP counters as failed logins,
   * so a stolen access token cannot be used to guess the password faster than the login form allows.
   * The new password is checked against the policy first (its length, then the `passwordPolicy` option:
   * common and breached passwords), which costs no attempt.
   *
   * @throws AuthError `validation_failed` (policy), `invalid_credentials` (wrong current password),
   * `rate_limited` (with `retryAfter`), `account_locked`, `not_found`
   * @example
   * ```ts
   * const account = await auth.changePassword({
   *   group: claims.grp, accountId: claims.sub, sessionId: claims.sid, current, next,
   * })
   * ```
   */
  changePassword,
};

/** See {@link changePasswordOperation}. */
export async function changePassword(ctx: AuthContext, input: ChangePasswordInput): Promise<AccountResource> {
  const { group = DEFAULT_GROUP } = input;
  const account = await loadActiveAccount(ctx, group, input.accountId);
  const current = normalizePassword(input.current);
  const next = normalizePassword(input.next);
  checkPasswordPolicy(next, account.email, (await groupPolicy(ctx, group)).password);
  await screenPassword(ctx, next, { operation: 'change', group, email: account.email });

  const throttle = loginThrottle(ctx, group, account.email, input.ip, account);
  await throttle.admit();
  // An account without a password still pays for one verification, like login does.
  const valid = await ctx.hasher.verify(account.passwordHash ?? (await ctx.dummyHash()), current);
  if (!valid || !account.passwordHash) {
    throw new AuthError('invalid_credentials', 'The current password is incorrect.');
  }
  await throttle.succeed();

  const passwordHash = await ctx.hasher.hash(next);
  const now = ctx.clock.now();
  // The new password, the other sessions' end and the events are stored together.
  const resource = await inTransaction(ctx, async (tx) => {
    const updated = await tx.storage.accounts.update(group, account.id, {
      passwordHash,
      lastPasswordChangeAt: now,
      updatedAt: now,
    });
    if (!updated) throw new AuthError('not_found', 'No such account.');
    const reason = 'password_changed';
    const sessionIds = await tx.storage.sessions.revokeAllForAccount(group, account.id, now, reason, input.sessionId);
    if (sessionIds.length > 0) await emit(tx, 'session.revoked', group, { accountId: account.id, sessionIds, reason });
    const changed = toAccountResource(updated);
    await emit(tx, 'account.password-changed', group, { account: changed });
    return changed;
  });
  void sendMailInBackground(ctx, { kind: 'password-changed', to: resource.email.address, account: resource });
  return resource;
}
