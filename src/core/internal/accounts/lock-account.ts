import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import { emit } from '../../events/emit.js';
import type { AccountRecord } from '../../ports.js';
import { toAccountResource } from './account-resource.js';
import { PANIC_REASON } from './lift-panic-lock.js';
import { inTransaction } from '../transaction.js';

/** The `statusReason` of an account an administrator locked; only an administrator unlocks it. */
export const ADMIN_LOCK_REASON = 'admin';

/** Why an account is locked: its owner's panic, or an administrator. */
export type LockReason = typeof PANIC_REASON | typeof ADMIN_LOCK_REASON;

/** What {@link lockAndSignOut} did. */
export interface LockOutcome {
  /** The account as stored now. */
  account: AccountRecord;
  /** Whether this call changed the lock (false when it was already locked for a reason that stands). */
  locked: boolean;
  /** The sessions this call ended. */
  sessionIds: string[];
}

/**
 * Locks a live account and ends every session, failing closed: the status is stored first (every
 * sign-in and refresh is refused from then on), then the sessions are revoked. An administrator's lock
 * stands over a panic (a panic never turns it into one the owner could undo), and an administrator
 * locking a panic-locked account makes it theirs. Emits `account.locked` when the lock changed and
 * `session.revoked` when sessions ended. Shared by `panicLock` and `adminLockAccount`; the caller mails.
 *
 * @throws AuthError `not_found` (the account went meanwhile)
 */
export async function lockAndSignOut(ctx: AuthContext, account: AccountRecord, reason: LockReason): Promise<LockOutcome> {
  const { group, id } = account;
  const now = ctx.clock.now();
  const change =
    account.status !== 'locked' || (reason === ADMIN_LOCK_REASON && account.statusReason !== ADMIN_LOCK_REASON);
  // The lock, the revocations and their events are stored together.
  return inTransaction(ctx, async (tx) => {
    let current = account;
    if (change) {
      const updated = await tx.storage.accounts.update(group, id, {
        status: 'locked',
        statusReason: reason,
        statusChangedAt: now,
        updatedAt: now,
      });
      if (!updated) throw new AuthError('not_found', 'No such account.');
      current = updated;
    }
    const revocation = reason === ADMIN_LOCK_REASON ? 'admin_locked' : 'panic';
    const sessionIds = await tx.storage.sessions.revokeAllForAccount(group, id, now, revocation);
    if (change) await emit(tx, 'account.locked', group, { account: toAccountResource(current) });
    if (sessionIds.length > 0) await emit(tx, 'session.revoked', group, { accountId: id, sessionIds, reason: revocation });
    return { account: current, locked: change, sessionIds };
  });
}
