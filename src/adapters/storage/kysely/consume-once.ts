import type { Kysely } from 'kysely';
import { conditionally, transact, type StorageContext } from './context.js';
import { type ColumnMap, columnNames, fromRow, toRow } from './mapping.js';

/** A single-use record: found by `hash`, of one `purpose`, live until `expiresAt`, used at `consumedAt`. */
interface SingleUse {
  hash: string;
  purpose: string;
  expiresAt: Date;
  consumedAt: Date | null;
}

/**
 * Uses a single-use record (one-time token, WebAuthn challenge) with one conditional UPDATE, so of
 * concurrent callers exactly one gets the record: `RETURNING` where the dialect has it, else the
 * UPDATE and a read of the row in one transaction. Returns the record as it was before (unconsumed).
 */
export async function consumeOnce<T extends SingleUse>(
  ctx: StorageContext,
  table: string,
  columnMap: ColumnMap<T>,
  key: { hash: string; purpose: T['purpose']; at: Date },
): Promise<T | null> {
  const columns = columnNames(columnMap);
  const update = (executor: Kysely<any>) =>
    executor
      .updateTable(table)
      .set(toRow(columnMap, { consumedAt: key.at } as Partial<T>))
      .where('hash', '=', key.hash)
      .where('purpose', '=', key.purpose)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', key.at.getTime());
  // The row read back shows this call's `consumed_at`; the WHERE proves it was null before.
  const before = (row: Record<string, unknown>): T => ({ ...fromRow(columnMap, row), consumedAt: null });

  if (ctx.dialect.returning) {
    const row = await conditionally(ctx, (executor) => update(executor).returning(columns).executeTakeFirst());
    return row ? before(row) : null;
  }
  return transact(ctx, async (trx) => {
    const { numUpdatedRows } = await update(trx).executeTakeFirstOrThrow();
    if (numUpdatedRows !== 1n) return null;
    const row = await trx.selectFrom(table).select(columns).where('hash', '=', key.hash).executeTakeFirstOrThrow();
    return before(row);
  });
}
