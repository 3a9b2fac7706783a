import type { Kysely } from 'kysely';
import type { RefreshTokenRecord, RefreshTokenRepository } from '../../../core/ports.js';
import { transact, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { prepared } from './prepared.js';
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
  // Read on every refresh.
  const byHash = prepared<[string]>(ctx, 'refreshTokens.byHash', 1, (q, hash) =>
    q.selectFrom(tables.refreshTokens).select(columns).where('hash', '=', hash),
  );
  const rotatedAt = refreshTokenColumns.rotatedAt[0];
  const markRotated = prepared<[unknown, string]>(ctx, 'refreshTokens.markRotated', 2, (q, at, hash) =>
    q.updateTable(tables.refreshTokens).set({ [rotatedAt]: at }).where('hash', '=', hash).where(rotatedAt, 'is', null),
  );
  const insert = prepared<unknown[]>(ctx, 'refreshTokens.insert', columns.length, (q, ...values) =>
    q.insertInto(tables.refreshTokens).values(Object.fromEntries(columns.map((column, i) => [column, values[i]]))),
  );
  const insertRow = (executor: Kysely<any>, token: RefreshTokenRecord) => {
    const row = toRow(refreshTokenColumns, token);
    return insert(executor, ...columns.map((column) => row[column] ?? null));
  };
  return {
    async create(token: RefreshTokenRecord): Promise<void> {
      await conflictOnDuplicate(
        () => db.insertInto(tables.refreshTokens).values(toRow(refreshTokenColumns, token)).execute(),
        HASH_TAKEN,
      );
    },

    async findByHash(hash: string): Promise<RefreshTokenRecord | null> {
      const [row] = (await byHash(db, hash)).rows;
      return row ? fromRow(refreshTokenColumns, row) : null;
    },

    async rotate(hash: string, next: RefreshTokenRecord, at: Date): Promise<boolean> {
      return conflictOnDuplicate(
        () =>
          transact(ctx, async (trx) => {
            const { changed } = await markRotated(trx, toRow(refreshTokenColumns, { rotatedAt: at })[rotatedAt], hash);
            if (changed !== 1n) return false;
            await insertRow(trx, next);
            return true;
          }),
        HASH_TAKEN,
      );
    },
  };
}
