import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';

/** The most accounts one call removes; call again until `purged` is 0 to drain a backlog. */
const MAX_LIMIT = 1000;

/**
 * Removes, for good, accounts that were deleted more than `deletedAccountRetention` seconds ago, with
 * their sessions, refresh tokens, one-time tokens and login history (the second phase of
 * `deleteAccount`). Run it from the app's scheduler (a daily cron is plenty); it is safe to run on
 * several instances at once, since removing an account twice removes it once. Logs counts only.
 *
 * @throws AuthError `validation_failed` when `limit` is not an integer from 1 to 1000
 * @example
 * ```ts
 * setInterval(() => void auth.purgeDeletedAccounts(), 24 * 3600 * 1000)
 * ```
 */
export async function purgeDeletedAccounts(
  ctx: AuthContext,
  input: { limit?: number } = {},
): Promise<{ purged: number }> {
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
  return { purged };
}
