import type { RecoveryCodeRepository } from '../../../core/ports.js';
import { batches, lockAccount, transact, type StorageContext } from './context.js';

/**
 * The SQL {@link RecoveryCodeRepository}. Both methods are one transaction that first locks the
 * account's row (see `lockAccount`), so the codes and the account's `recovery_codes_remaining` change
 * together, and always in the same order: account, then codes, which keeps a `replace` and a `consume`
 * of one account from deadlocking. An account that does not exist gets no codes.
 *
 * `replace` deletes the account's codes, inserts the new ones and sets the count; `consume` is a
 * conditional UPDATE (`… AND used_at IS NULL`) and, when it changed the row, a decrement of the count.
 */
export function createRecoveryCodeRepository(ctx: StorageContext): RecoveryCodeRepository {
  const { tables } = ctx;
  return {
    async replace(group: string, accountId: string, hashes: string[], at: Date): Promise<void> {
      const unique = [...new Set(hashes)];
      await transact(ctx, async (trx) => {
        if (!(await lockAccount(ctx, trx, group, accountId))) return;
        await trx.deleteFrom(tables.recoveryCodes).where('group_id', '=', group).where('account_id', '=', accountId).execute();
        for (const batch of batches(unique, 100)) {
          const rows = batch.map((hash) => ({ group_id: group, account_id: accountId, hash, created_at: at.getTime(), used_at: null }));
          await trx.insertInto(tables.recoveryCodes).values(rows).execute();
        }
        await trx
          .updateTable(tables.accounts)
          .set({ recovery_codes_remaining: unique.length })
          .where('group_id', '=', group)
          .where('id', '=', accountId)
          .execute();
      });
    },

    async consume(group: string, accountId: string, hash: string, at: Date): Promise<boolean> {
      return transact(ctx, async (trx) => {
        if (!(await lockAccount(ctx, trx, group, accountId))) return false;
        const { numUpdatedRows } = await trx
          .updateTable(tables.recoveryCodes)
          .set({ used_at: at.getTime() })
          .where('group_id', '=', group)
          .where('account_id', '=', accountId)
          .where('hash', '=', hash)
          .where('used_at', 'is', null)
          .executeTakeFirstOrThrow();
        if (numUpdatedRows !== 1n) return false;
        await trx
          .updateTable(tables.accounts)
          .set((eb) => ({ recovery_codes_remaining: eb('recovery_codes_remaining', '-', 1) }))
          .where('group_id', '=', group)
          .where('id', '=', accountId)
          .execute();
        return true;
      });
    },
  };
}
