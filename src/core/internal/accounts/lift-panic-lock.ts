import type { AuthContext } from '../../context.js';
import { emit } from '../../events/emit.js';
import { sendMailInBackground } from '../../mail/send-mail.js';
import type { AccountPatch, AccountRecord } from '../../ports.js';
import { toAccountResource } from './account-resource.js';

/** The `statusReason` of an account its owner locked; only such an account can unlock itself. */
export const PANIC_REASON = 'panic';

/**
 * Whether a panic-locked account gets its way back through its mailbox (a password reset) rather than
 * only with a recovery code: when it has no recovery codes left, or when its address was never proven
 * (its recovery codes are then provisional, and the reset forgets them with everything else set up
 * before the proof). An account an administrator locked never does.
 */
export function panicLockLiftsByMailbox(account: AccountRecord): boolean {
  if (account.status !== 'locked' || account.statusReason !== PANIC_REASON) return false;
  return account.recoveryCodesRemaining === 0 || account.emailVerifiedAt === null;
}

/** The fields that make a locked account active again, as of `now`. */
export function unlockedPatch(now: Date): AccountPatch {
  return { status: 'active', statusReason: null, statusChangedAt: now };
}

/**
 * Tells the owner and listeners that a panic-locked account is active again: mails the
 * `account-unlocked` notice, emits `account.unlocked` and logs `how` (`recovery_code`, `password_reset`).
 * The caller has stored {@link unlockedPatch} and ended the sessions.
 */
export async function announceUnlock(ctx: AuthContext, account: AccountRecord, how: 'recovery_code' | 'password_reset'): Promise<void> {
  const resource = toAccountResource(account);
  void sendMailInBackground(ctx, { kind: 'account-unlocked', to: account.email, account: resource });
  await emit(ctx, 'account.unlocked', account.group, { account: resource });
  ctx.logger.info('account unlocked', { group: account.group, accountId: account.id, how });
}
