import type { AuthContext } from '../context.js';
import { sendMailInBackground } from '../mail/send-mail.js';
import { toAccountResource } from '../internal/accounts/account-resource.js';
import { PANIC_REASON } from '../internal/accounts/lift-panic-lock.js';
import { lockAndSignOut } from '../internal/accounts/lock-account.js';
import { loadLiveAccount } from '../internal/two-factor/load-account.js';
import { DEFAULT_GROUP } from '../context.js';

/** What `auth.panicLock` takes: the signed-in account to lock. The access token is all the proof it needs. */
export interface PanicLockInput {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  /** The signed-in account (the access token's `sub`). */
  accountId: string;
}

export { PANIC_REASON };

/** The `panicLock` operation of `Auth`: the one place its documentation lives. */
export const panicLockOperation = {
  /**
   * The owner's emergency brake ("I think someone is in my account"). It fails closed: the account is
   * set to `locked` first, so from that moment every login path and every refresh is refused, and only
   * then is every session revoked (all refresh and access tokens stop working). The owner is mailed an
   * `account-locked` notice, and `account.locked` then `session.revoked` are emitted.
   *
   * While locked, a correct password answers `account_locked` on every sign-in path. The owner unlocks
   * with a recovery code and a new password (`unlockAccount`); an account without recovery codes (or
   * whose address was never proven) gets its way back through its mailbox instead: a password reset
   * unlocks it (see `panicLockLiftsByMailbox`). An account an administrator locked stays locked for that
   * reason (a panic never turns it into one the owner could unlock); its sessions are revoked all the
   * same. Locking twice is harmless.
   *
   * @throws AuthError `not_found` (no such account, or deleted)
   * @example
   * ```ts
   * await auth.panicLock({ group: claims.grp, accountId: claims.sub })
   * ```
   */
  panicLock,
};

/** See {@link panicLockOperation}. */
export async function panicLock(ctx: AuthContext, input: PanicLockInput): Promise<void> {
  const { group = DEFAULT_GROUP, accountId } = input;
  const account = await loadLiveAccount(ctx, group, accountId);

  // An administrator's lock stands: the panic ends the sessions all the same.
  const { account: current, locked, sessionIds } = await lockAndSignOut(ctx, account, PANIC_REASON);
  if (locked) {
    const resource = toAccountResource(current);
    void sendMailInBackground(ctx, { kind: 'account-locked', to: current.email, account: resource });
  }
  ctx.logger.info('account panic-locked', { group, accountId, sessionsRevoked: sessionIds.length });
}
