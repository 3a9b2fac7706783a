import type { AuthContext } from '../../context.js';
import { emit } from '../../events/emit.js';
import type { AccountRecord } from '../../ports.js';
import { NO_SECOND_FACTOR, toAccountResource, twoFactorMethods } from './account-resource.js';
import { inTransaction } from '../transaction.js';

export interface ForgetUnprovenSetupOptions {
  /**
   * The session the proof was made in (an email code entered while signed in): it stays open. Every
   * other session ends. A proof made outside any session (a mailed link or reset token) keeps none.
   */
  keepSessionId?: string | undefined;
}

/** The `reason` of the sessions it ends. */
export const EMAIL_PROVEN_REASON = 'email_proven';

/**
 * The first proof of the mailbox: forgets everything set up on an account while nobody had proven
 * its address, because whoever set it up may not own the address (pre-account hijacking: an attacker
 * registers the victim's address first, signs in and adds a passkey or TOTP that would otherwise
 * outlive the owner's verification or reset).
 *
 * Only an account whose `emailVerifiedAt` is still null, and whose address has been on it since it was
 * created, is touched; for any other this returns the account as given and does nothing (an address an
 * administrator put on an established account is verified without forgetting anything). The caller
 * marks the address verified afterwards (so a failure in between leaves the account unverified and the
 * proof can be made again). In order:
 *
 * 1. every session but `keepSessionId` is revoked (reason `email_proven`, event `session.revoked`), so
 *    the unproven holder can set up nothing more with a session they hold;
 * 2. the passkey challenges bound to the account, then every passkey (`webauthn.credential-removed`
 *    for each);
 * 3. pending one-time codes (email and SMS) and every recovery code;
 * 4. on the account: TOTP (secret, pending secret, last used step, enabled time), the phone (number,
 *    verified, SMS codes enabled), email codes enabled, and `allowSupportLogin` back to false
 *    (`account.two-factor-disabled` for each factor that was on).
 *
 * The password is not touched: the caller decides (a reset replaces it; a verification link keeps it,
 * since the person who registered is the usual one to click it).
 *
 * @returns the account as stored afterwards, or null when it no longer exists
 * @example
 * ```ts
 * const current = await forgetUnprovenSetup(ctx, account, { keepSessionId: input.sessionId })
 * if (!current) throw new AuthError('not_found', 'No such account.')
 * ```
 */
export async function forgetUnprovenSetup(
  ctx: AuthContext,
  account: AccountRecord,
  options: ForgetUnprovenSetupOptions = {},
): Promise<AccountRecord | null> {
  if (account.emailVerifiedAt) return account;
  // An address put on the account after it was created (an administrator's change) replaces one the
  // account had: proving the new one says nothing about who set the account up.
  if (account.emailAddedAt.getTime() > account.createdAt.getTime()) return account;
  // Everything it forgets, and the events that say so, are stored together.
  return inTransaction(ctx, (tx) => forget(tx, account, options));
}

async function forget(ctx: AuthContext, account: AccountRecord, options: ForgetUnprovenSetupOptions): Promise<AccountRecord | null> {
  const { group, id } = account;
  const now = ctx.clock.now();

  const reason = EMAIL_PROVEN_REASON;
  const sessionIds = await ctx.storage.sessions.revokeAllForAccount(group, id, now, reason, options.keepSessionId);
  if (sessionIds.length > 0) await emit(ctx, 'session.revoked', group, { accountId: id, sessionIds, reason });

  await ctx.storage.webauthnChallenges.deleteForAccount(group, id);
  const passkeys = await ctx.storage.webauthnCredentials.listByAccount(group, id);
  const passkeysRemoved = await ctx.storage.webauthnCredentials.deleteAllForAccount(group, id);
  await ctx.storage.otpCodes.deleteForAccount(group, id);
  await ctx.storage.recoveryCodes.replace(group, id, [], now);
  const updated = await ctx.storage.accounts.update(group, id, {
    ...NO_SECOND_FACTOR,
    allowSupportLogin: false,
    updatedAt: now,
  });
  if (!updated) return null;

  const resource = toAccountResource(updated);
  for (const passkey of passkeys) {
    await emit(ctx, 'webauthn.credential-removed', group, { account: resource, credentialId: passkey.id });
  }
  const methods = twoFactorMethods(account);
  for (const method of methods) await emit(ctx, 'account.two-factor-disabled', group, { account: resource, method });
  ctx.logger.info('unproven set-up forgotten at the first proof of the mailbox', {
    group,
    accountId: id,
    sessionsRevoked: sessionIds.length,
    passkeysRemoved,
    factorsDisabled: methods,
    recoveryCodesRemoved: account.recoveryCodesRemaining,
  });
  return updated;
}
