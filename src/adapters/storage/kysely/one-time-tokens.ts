import type { OneTimeTokenPurpose, OneTimeTokenRecord, OneTimeTokenRepository } from '../../../core/ports.js';
import { consumeOnce } from './consume-once.js';
import { lockAccount, transactRetrying, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, oneTimeTokenColumns, toRow } from './mapping.js';

const columns = columnNames(oneTimeTokenColumns);

/**
 * The SQL {@link OneTimeTokenRepository}.
 *
 * `issue` is one transaction: it locks the account's row, retires the account's unconsumed tokens of the
 * purpose with one UPDATE and inserts the new token; a clash on the hash rolls the UPDATE back. The lock
 * serialises concurrent issues for one account, so each one's UPDATE sees the tokens the others committed
 * and only the last token stays live (without it, two issues could each miss the other's uncommitted
 * INSERT). On MySQL, concurrent issues for different accounts can still deadlock on InnoDB's gap locks;
 * the victim runs again (`transactRetrying`), except inside `Storage.transaction`.
 *
 * `consume` is one conditional UPDATE (`… AND consumed_at IS NULL AND expires_at > ?`): of concurrent
 * callers exactly one changes the row (see `conditionally`). The row comes back with `RETURNING` where
 * the dialect has it, else it is read in the UPDATE's transaction.
 */
export function createOneTimeTokenRepository(ctx: StorageContext): OneTimeTokenRepository {
  const { db, tables } = ctx;

  return {
    async issue(token: OneTimeTokenRecord): Promise<void> {
      await conflictOnDuplicate(
        () =>
          transactRetrying(ctx, async (trx) => {
            await lockAccount(ctx, trx, token.group, token.accountId);
            await trx
              .updateTable(tables.oneTimeTokens)
              .set(toRow(oneTimeTokenColumns, { consumedAt: token.createdAt }))
              .where('group_id', '=', token.group)
              .where('account_id', '=', token.accountId)
              .where('purpose', '=', token.purpose)
              .where('consumed_at', 'is', null)
              .execute();
            await trx.insertInto(tables.oneTimeTokens).values(toRow(oneTimeTokenColumns, token)).execute();
          }),
        'A one-time token with this hash already exists.',
      );
    },

    async consume(hash: string, purpose: OneTimeTokenPurpose, at: Date): Promise<OneTimeTokenRecord | null> {
      return consumeOnce(ctx, tables.oneTimeTokens, oneTimeTokenColumns, { hash, purpose, at });
    },

    async find(hash: string): Promise<OneTimeTokenRecord | null> {
      const row = await db.selectFrom(tables.oneTimeTokens).select(columns).where('hash', '=', hash).executeTakeFirst();
      return row ? fromRow(oneTimeTokenColumns, row) : null;
    },
  };
}
