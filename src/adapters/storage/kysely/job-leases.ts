import type { JobLeaseRepository } from '../../../core/ports.js';
import { transactRetrying, type StorageContext } from './context.js';

/** mysql2 hands text of a binary collation back as a Buffer. */
const text = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value));

/**
 * The SQL {@link JobLeaseRepository} on `<prefix>job_leases` (migration 0013). `acquire` is one short
 * transaction: the lease's row read with `SELECT … FOR UPDATE` (SQLite runs one transaction at a time,
 * so there a plain read), then, when the row is free, expired or the caller's, an `UPDATE`; with no row,
 * an `INSERT` that yields to a concurrent one (`ON CONFLICT DO NOTHING`, MySQL's `INSERT IGNORE`), so of
 * racing callers only the one whose row went in wins. It runs at READ COMMITTED on PostgreSQL and MySQL:
 * a waiting locking read then sees the winner's row, and MySQL takes no gap lock on the missing row
 * (under REPEATABLE READ two such locks would deadlock the inserts). A deadlock is tried again anyway.
 * The decision reads the row rather than an UPDATE's count, since MySQL may count a row it matched but
 * left unchanged. `release` is one DELETE of the owner's row.
 */
export function createJobLeaseRepository(ctx: StorageContext): JobLeaseRepository {
  const { db, tables, dialect } = ctx;
  const table = tables.jobLeases;
  return {
    async acquire(name, owner, now, ttlMs): Promise<boolean> {
      const expiresAt = now.getTime() + ttlMs;
      return transactRetrying(
        ctx,
        async (trx) => {
          const read = trx.selectFrom(table).select(['owner', 'expires_at']).where('name', '=', name);
          const row = await (dialect.name === 'sqlite' ? read : read.forUpdate()).executeTakeFirst();
          if (row === undefined) {
            const insert = trx.insertInto(table).values({ name, owner, expires_at: expiresAt });
            const { numInsertedOrUpdatedRows } = await (
              dialect.name === 'mysql' ? insert.ignore() : insert.onConflict((oc) => oc.column('name').doNothing())
            ).executeTakeFirst();
            return Number(numInsertedOrUpdatedRows ?? 0) === 1;
          }
          if (text(row.owner) !== owner && Number(row.expires_at) > now.getTime()) return false;
          await trx.updateTable(table).set({ owner, expires_at: expiresAt }).where('name', '=', name).execute();
          return true;
        },
        { readCommitted: 'mysql too' },
      );
    },

    async release(name, owner): Promise<void> {
      await db.deleteFrom(table).where('name', '=', name).where('owner', '=', owner).execute();
    },
  };
}
