import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { type HeldJobLease, withJobLease } from '../internal/jobs/job-lease.js';

/** The most accounts one call removes; call again until `purged` is 0 to drain a backlog. */
const MAX_LIMIT = 1000;

/** The most expired passkey challenges one call removes. */
export const CHALLENGE_BATCH = 10_000;

/** The most login-history entries one call removes. */
export const LOGIN_HISTORY_BATCH = 10_000;

/** The most audit-log entries one call removes. */
export const AUDIT_BATCH = 10_000;

/** The most outbox events one call removes. */
export const EVENT_BATCH = 10_000;

/** The name of the purge's lease in `storage.jobLeases`. */
export const PURGE_JOB = 'purge';

/**
 * How long the purge's lease lasts (ms): far longer than one call's bounded batches take, and renewed
 * between them; a holder that died blocks the purge this long at most.
 */
export const PURGE_LEASE_MS = 5 * 60_000;

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
  /** Audit-log entries removed (at most 10,000) for being older than `auditLog.retention`. */
  auditEntriesRemoved: number;
  /**
   * Outbox events removed (at most 10,000) for being older than `webhooks.retention` with no delivery
   * still pending, with their deliveries and the attempts of those.
   */
  eventsRemoved: number;
  /**
   * True when the call did nothing because another call, on this instance or another one sharing the
   * storage, held the purge's lease (every count is then 0): that call does the work. Also true when
   * the call lost the lease part-way (it outlived the lease's 5 minutes and another call took it
   * over); the counts are then what it removed before it stopped.
   */
  skipped: boolean;
}

/** The `purgeDeletedAccounts` operation of `Auth`: the one place its documentation lives. */
export const purgeDeletedAccountsOperation = {
  /**
   * Removes, for good, accounts that were deleted more than `deletedAccountRetention` seconds ago, with
   * their sessions, refresh tokens, one-time tokens and login history (the second phase of
   * `deleteAccount`). It also removes expired passkey challenges (`webauthnChallenges.deleteExpired`):
   * they are refused once expired, but nothing else deletes them; and it applies the retention of login
   * history (`loginAttempts.purge`): entries older than `loginHistory.retention`, and entries for emails
   * that matched no account older than `loginHistory.unknownRetention`; the retention of the audit log
   * (`auditLog.retention`); and that of the outbox (`webhooks.retention`, never an event with a pending
   * delivery). Every step is bounded (at most `limit` accounts, and 10,000 of each other kind a call),
   * and each of its statements is short, so a large backlog never holds a long transaction.
   *
   * Run it from the app's scheduler, on every instance if that is simpler (a daily or hourly cron is
   * plenty): one call at a time does the work, holding the `purge` lease of `storage.jobLeases` (5
   * minutes, renewed between steps, released at the end); a call that finds it held returns at once with
   * `skipped: true` and zero counts, logged at debug. A holder that crashed blocks the purge until its
   * lease runs out. Logs counts only. To drain a backlog, call again while `purged` equals `limit`, or
   * another count equals 10,000.
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
  const outcome = await withJobLease(ctx, PURGE_JOB, PURGE_LEASE_MS, (lease) => purgeUnderLease(ctx, limit, lease));
  return outcome.ran
    ? outcome.result
    : { purged: 0, challengesRemoved: 0, loginAttemptsRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: 0, skipped: true };
}

/** The purge's steps, one after another, each bounded; the lease is renewed before every step but the first. */
async function purgeUnderLease(ctx: AuthContext, limit: number, lease: HeldJobLease): Promise<PurgeResult> {
  const result: PurgeResult = {
    purged: 0,
    challengesRemoved: 0,
    loginAttemptsRemoved: 0,
    auditEntriesRemoved: 0,
    eventsRemoved: 0,
    skipped: false,
  };
  const ago = (seconds: number) => new Date(ctx.clock.now().getTime() - seconds * 1000);
  const steps = [
    async () => {
      const due = await ctx.storage.accounts.listDeletedBefore(ago(ctx.options.deletedAccountRetention), limit);
      for (const account of due) {
        if (await ctx.storage.accounts.delete(account.group, account.id)) result.purged += 1;
      }
      if (due.length > 0) ctx.logger.info('purged deleted accounts', { purged: result.purged, due: due.length });
    },
    async () => {
      result.challengesRemoved = await ctx.storage.webauthnChallenges.deleteExpired(ctx.clock.now(), CHALLENGE_BATCH);
      if (result.challengesRemoved > 0) ctx.logger.info('removed expired passkey challenges', { removed: result.challengesRemoved });
    },
    async () => {
      const { retention, unknownRetention } = ctx.options.loginHistory;
      result.loginAttemptsRemoved = await ctx.storage.loginAttempts.purge({
        before: ago(retention),
        unknownBefore: ago(unknownRetention),
        limit: LOGIN_HISTORY_BATCH,
      });
      if (result.loginAttemptsRemoved > 0) ctx.logger.info('removed old login history', { removed: result.loginAttemptsRemoved });
    },
    async () => {
      result.auditEntriesRemoved = await ctx.storage.auditLog.purge(ago(ctx.options.auditLog.retention), AUDIT_BATCH);
      if (result.auditEntriesRemoved > 0) ctx.logger.info('removed old audit-log entries', { removed: result.auditEntriesRemoved });
    },
    async () => {
      result.eventsRemoved = await ctx.storage.outbox.purge(ago(ctx.options.webhooks.retention), EVENT_BATCH);
      if (result.eventsRemoved > 0) ctx.logger.info('removed old outbox events', { removed: result.eventsRemoved });
    },
  ];
  for (const [index, step] of steps.entries()) {
    if (index > 0 && !(await lease.renew())) {
      ctx.logger.warn('purge stopped: its lease ran out and another call took it over');
      return { ...result, skipped: true };
    }
    await step();
  }
  return result;
}
