import type { RefreshTokenRecord, RefreshTokenRepository } from '../../../core/ports.js';
import { transact, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, refreshTokenColumns, toRow } from './mapping.js';

const columns = columnNames(refreshTokenColumns);
const HASH_TAKEN = 'A refresh token with this hash already exists.';

/**
 * The SQL {@link RefreshTokenRepository}. `rotate` is one transaction: a conditional UPDATE
 * (`… WHERE hash = ? AND rotated_at IS NULL`) that only one concurrent caller can win (the others wait
 * for its row lock, then find the token rotated), and, for the winner only, the INSERT of the successor.
 * A clash on the successor's hash rolls the UPDATE back.
 */
export function createRefreshTokenRepository(ctx: StorageContext): RefreshTokenRepository {
  const { db, tables } = ctx;
  return {
    async create(token: RefreshTokenRecord): Promise<void> {
      await conflictOnDuplicate(
        () => db.insertInto(tables.refreshTokens).values(toRow(refreshTokenColumns, token)).execute(),
        HASH_TAKEN,
      );
    },

    async findByHash(hash: string): Promise<RefreshTokenRecord | null> {
      const row = await db.selectFrom(tables.refreshTokens).select(columns).where('hash', '=', hash).executeTakeFirst();
      return row ? fromRow(refreshTokenColumns, row) : null;
    },

    async rotate(hash: string, next: RefreshTokenRecord, at: Date): Promise<boolean> {
      return conflictOnDuplicate(
        () =>
          transact(ctx, async (trx) => {
            const { numUpdatedRows } = await trx
              .updateTable(tables.refreshTokens)
              .set(toRow(refreshTokenColumns, { rotatedAt: at }))
              .where('hash', '=', hash)
              .where('rotated_at', 'is', null)
              .executeTakeFirstOrThrow();
            if (numUpdatedRows !== 1n) return false;
            await trx.insertInto(tables.refreshTokens).values(toRow(refreshTokenColumns, next)).execute();
            return true;
          }),
        HASH_TAKEN,
      );
    },
  };
}
