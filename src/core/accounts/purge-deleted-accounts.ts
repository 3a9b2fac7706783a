import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';

/** The most accounts one call removes; call again until `purged` is 0 to drain a backlog. */
const MAX_LIMIT = 1000;

/** The most expired passkey challenges one call removes. */
export const CHALLENGE_BATCH = 10_000;

/** The most login-history entries one call removes. */
export const LOGIN_HISTORY_BATCH = 10_000;

/** The most outbox events one call removes. */
export const EVENT_BATCH = 10_000;

/** What one {@link Auth.purgeDeletedAccounts | auth.purgeDeletedAccounts} call removed, so a scheduler knows whether to call again. */
export interface PurgeResult {
  /** Accounts removed for good (at most `limit`). */
  purged: number;
  /** Expired passkey (WebAuthn) challenges removed (at most 10,000). */
  challengesRemoved: number;
  /**
   * Login-history entries removed (at most 10,000) for being older than `loginHistory.retention`, or
   * older than `loginHistory.unknownRetention` for an email that matched no account. Those of the
   * purged accounts go with them and are not counted here.
   */
  loginAttemptsRemoved: number;
  /** Audit-log entries removed for being older than `auditLog.retention`. */
  auditEntriesRemoved: number;
  /**
   * Outbox events removed (at most 10,000) for being older than `webhooks.retention` with no delivery
   * still pending, with their deliveries and the attempts of those.
   */
  eventsRemoved: number;
}

/** The `purgeDeletedAccounts` operation of `Auth`: the one place its documentation lives. */
export const purgeDeletedAccountsOperation = {
  /**
   * Removes, for good, accounts that were deleted more than `deletedAccountRetention` seconds ago, with
   * their sessions, refresh tokens, one-time tokens and login history (the second phase of
   * `deleteAccount`). It also removes expired passkey challenges (`webauthnChallenges.deleteExpired`, at
   * most 10,000 a call): they are refused once expired, but nothing else deletes them; and it applies
   * the retention of login history (`loginAttempts.purge`, at most 10,000 a call): entries older than
   * `loginHistory.retention`, and entries for emails that matched no account older than
   * `loginHistory.unknownRetention`; the retention of the audit log (`auditLog.retention`); and that of
   * the outbox (`webhooks.retention`, at most 10,000 events a call, never one with a pending delivery). Run it from the app's scheduler (a daily cron is plenty); it is
   * safe to run on several instances at once, since removing a row twice removes it once. Logs counts
   * only. To drain a backlog, call again while `purged` equals `limit`, or `challengesRemoved` or
   * `loginAttemptsRemoved` equals 10,000.
   *
   * @throws AuthError `validation_failed` when `limit` is not an integer from 1 to 1000
   * @example
   * ```ts
   * setInterval(() => void auth.purgeDeletedAccounts(), 24 * 3600 * 1000)
   * ```
   */
  purgeDeletedAccounts,
};

/** See {@link purgeDeletedAccountsOperation}. */
export async function purgeDeletedAccounts(
  ctx: AuthContext,
  input: { limit?: number } = {},
): Promise<PurgeResult> {
  const { limit = 100 } = input;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AuthError('validation_failed', 'The limit is not valid.', {
      details: [{ path: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` }],
    });
  }
  const before = new Date(ctx.clock.now().getTime() - ctx.options.deletedAccountRetention * 1000);
  const due = await ctx.storage.accounts.listDeletedBefore(before, limit);
  let purged = 0;
  for (const account of due) {
    if (await ctx.storage.accounts.delete(account.group, account.id)) purged += 1;
  }
  if (due.length > 0) ctx.logger.info('purged deleted accounts', { purged, due: due.length });
  const challengesRemoved = await ctx.storage.webauthnChallenges.deleteExpired(ctx.clock.now(), CHALLENGE_BATCH);
  if (challengesRemoved > 0) ctx.logger.info('removed expired passkey challenges', { removed: challengesRemoved });
  const now = ctx.clock.now().getTime();
  const { retention, unknownRetention } = ctx.options.loginHistory;
  const loginAttemptsRemoved = await ctx.storage.loginAttempts.purge({
    before: new Date(now - retention * 1000),
    unknownBefore: new Date(now - unknownRetention * 1000),
    limit: LOGIN_HISTORY_BATCH,
  });
  if (loginAttemptsRemoved > 0) ctx.logger.info('removed old login history', { removed: loginAttemptsRemoved });
  const auditEntriesRemoved = await ctx.storage.auditLog.purge(new Date(now - ctx.options.auditLog.retention * 1000));
  if (auditEntriesRemoved > 0) ctx.logger.info('removed old audit-log entries', { removed: auditEntriesRemoved });
  const eventsRemoved = await ctx.storage.outbox.purge(new Date(now - ctx.options.webhooks.retention * 1000), EVENT_BATCH);
  if (eventsRemoved > 0) ctx.logger.info('removed old outbox events', { removed: eventsRemoved });
  return { purged, challengesRemoved, loginAttemptsRemoved, auditEntriesRemoved, eventsRemoved };
}
