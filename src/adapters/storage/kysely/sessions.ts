import type { ExpressionBuilder } from 'kysely';
import type { RefreshTokenRecord, SessionRecord, SessionRepository } from '../../../core/ports.js';
import { batches, conditionally, transact, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { prepared } from './prepared.js';
import {
  accountColumns,
  aliasedColumns,
  columnNames,
  fromRow,
  refreshTokenColumns,
  sessionColumns,
  toRow,
} from './mapping.js';

const columns = columnNames(sessionColumns);
// `findWithAccount` reads the account's columns under an alias: `id`, `group_id` and `created_at` are
// the session's too, and a driver keeps only one value per result column name.
const ACCOUNT_ALIAS = 'acct_';
const joinedAccountColumns = aliasedColumns(accountColumns, ACCOUNT_ALIAS);
const joinedColumns = [
  ...columns.map((column) => `s.${column} as ${column}`),
  ...columnNames(accountColumns).map((column) => `a.${column} as ${ACCOUNT_ALIAS}${column}`),
];

/**
 * The SQL {@link SessionRepository}. `create` inserts the session and its first refresh token in one
 * transaction; `revoke` is one conditional UPDATE (`… AND revoked_at IS NULL`), so of concurrent
 * callers exactly one changes the row; `revokeAllForAccount` is one `UPDATE … RETURNING` where the
 * dialect has it, else a transaction that locks the live sessions (`SELECT … FOR UPDATE`) first. On
 * PostgreSQL both run at READ COMMITTED (see `conditionally`). `findWithAccount` is one SELECT of the
 * session LEFT JOIN its account, each by its primary key.
 */
export function createSessionRepository(ctx: StorageContext): SessionRepository {
  const { db, tables, dialect } = ctx;
  // Read on every refresh, and by `auth.verifyAccessToken`.
  const byId = prepared<[string, string]>(ctx, 'sessions.byId', 2, (q, group, id) =>
    q.selectFrom(tables.sessions).select(columns).where('group_id', '=', group).where('id', '=', id),
  );
  // The session and its account at once: what every authenticated request reads.
  const withAccount = prepared<[string, string]>(ctx, 'sessions.withAccount', 2, (q, group, id) =>
    q
      .selectFrom(`${tables.sessions} as s`)
      .leftJoin(`${tables.accounts} as a`, (on) => on.onRef('a.group_id', '=', 's.group_id').onRef('a.id', '=', 's.account_id'))
      .select(joinedColumns)
      .where('s.group_id', '=', group)
      .where('s.id', '=', id),
  );
  return {
    async create(session: SessionRecord, firstToken: RefreshTokenRecord): Promise<void> {
      await conflictOnDuplicate(
        () =>
          transact(ctx, async (trx) => {
            await trx.insertInto(tables.sessions).values(toRow(sessionColumns, session)).execute();
            await trx.insertInto(tables.refreshTokens).values(toRow(refreshTokenColumns, firstToken)).execute();
          }),
        'A session with this id, or a refresh token with this hash, already exists.',
      );
    },

    async findById(group: string, id: string): Promise<SessionRecord | null> {
      const [row] = (await byId(db, group, id)).rows;
      return row ? fromRow(sessionColumns, row) : null;
    },

    async findWithAccount(group: string, id: string) {
      const [row] = (await withAccount(db, group, id)).rows;
      if (!row) return null;
      // A LEFT JOIN that found no account gives nulls in every account column, its key included.
      const account = row[joinedAccountColumns.id[0]] == null ? null : fromRow(joinedAccountColumns, row);
      return { session: fromRow(sessionColumns, row), account };
    },

    async listByAccount(group: string, accountId: string): Promise<SessionRecord[]> {
      const rows = await db
        .selectFrom(tables.sessions)
        .select(columns)
        .where('group_id', '=', group)
        .where('account_id', '=', accountId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map((row) => fromRow(sessionColumns, row));
    },

    async revoke(group: string, id: string, at: Date, reason: string): Promise<boolean> {
      const { numUpdatedRows } = await conditionally(ctx, (executor) =>
        executor
          .updateTable(tables.sessions)
          .set(toRow(sessionColumns, { revokedAt: at, revokedReason: reason }))
          .where('group_id', '=', group)
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirstOrThrow(),
      );
      return numUpdatedRows === 1n;
    },

    async revokeAllForAccount(group, accountId, at, reason, exceptId): Promise<string[]> {
      const revocation = toRow(sessionColumns, { revokedAt: at, revokedReason: reason });
      const live = (eb: ExpressionBuilder<any, any>) =>
        eb.and([
          eb('group_id', '=', group),
          eb('account_id', '=', accountId),
          eb('revoked_at', 'is', null),
          ...(exceptId === undefined ? [] : [eb('id', '<>', exceptId)]),
        ]);

      if (dialect.returning) {
        // PostgreSQL re-checks `revoked_at IS NULL` on rows a concurrent caller changed; SQLite runs one
        // statement at a time: either way each id comes back from one call only.
        const rows = await conditionally(ctx, (executor) =>
          executor.updateTable(tables.sessions).set(revocation).where(live).returning('id').execute(),
        );
        return rows.map((row) => String(row.id));
      }
      return transact(ctx, async (trx) => {
        const rows = await trx.selectFrom(tables.sessions).select('id').where(live).forUpdate().execute();
        const ids = rows.map((row) => String(row.id));
        // The rows are locked until commit, so this changes exactly the rows selected.
        for (const batch of batches(ids)) {
          await trx.updateTable(tables.sessions).set(revocation).where(live).where('id', 'in', batch).execute();
        }
        return ids;
      });
    },
  };
}
