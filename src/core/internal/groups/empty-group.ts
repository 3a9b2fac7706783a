import type { AuthContext } from '../../context.js';
import { emit } from '../../events/emit.js';
import { toAccountResource } from '../accounts/account-resource.js';
import { inTransaction } from '../transaction.js';

/** Accounts read and removed per batch: bounds the memory and the length of each step. */
export const EMPTY_GROUP_BATCH = 100;

/**
 * Removes every account of `group`, a batch of {@link EMPTY_GROUP_BATCH} at a time, each in its own
 * transaction with its event (so a crash halfway leaves whole accounts, never half of one), and
 * emits `account.deleted` for each. The group's owner goes too: the whole group is going. Returns how
 * many it removed.
 */
export async function emptyGroup(ctx: AuthContext, group: string): Promise<number> {
  let removed = 0;
  let stalled = 0;
  for (;;) {
    const { data } = await ctx.storage.accounts.search(group, {}, { limit: EMPTY_GROUP_BATCH });
    if (data.length === 0) return removed;
    let progress = 0;
    for (const account of data) {
      // The removal and its event are stored together.
      const deleted = await inTransaction(ctx, async (tx) => {
        if (!(await tx.storage.accounts.delete(group, account.id))) return false;
        const now = tx.clock.now();
        const gone = { ...account, status: 'deleted' as const, statusReason: null, deletedAt: account.deletedAt ?? now };
        await emit(tx, 'account.deleted', group, { account: toAccountResource(gone) });
        return true;
      });
      if (deleted) progress++;
    }
    removed += progress;
    // Nothing removed in a whole batch: someone else is removing the same accounts; give them a moment,
    // but never loop for ever on a storage that will not delete.
    if (progress > 0) stalled = 0;
    else if (++stalled > 50) throw new Error(`latchkey: could not remove the accounts of group "${group}"`);
    else await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
