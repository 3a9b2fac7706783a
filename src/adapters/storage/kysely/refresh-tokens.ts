import type { Kysely } from 'kysely';
import type {
  RefreshTokenRecord,
  RefreshTokenRepository,
  RefreshTokenWithSession,
  RotateOutcome,
} from '../../../core/ports.js';
import { transactRetrying, type StorageContext } from './context.js';
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

const columns = columnNames(refreshTokenColumns);
const HASH_TAKEN = 'A refresh token with this hash already exists.';
// `findWithSession` reads the session's and the account's columns under aliases: `id`, `group_id`,
// `account_id` and `created_at` are in more than one of the tables, and a driver keeps one value per name.
const SESSION_ALIAS = 'ses_';
const ACCOUNT_ALIAS = 'acct_';
const joinedSessionColumns = aliasedColumns(sessionColumns, SESSION_ALIAS);
const joinedAccountColumns = aliasedColumns(accountColumns, ACCOUNT_ALIAS);
const joinedColumns = [
  ...columns.map((column) => `t.${column} as ${column}`),
  ...columnNames(sessionColumns).map((column) => `s.${column} as ${SESSION_ALIAS}${column}`),
  ...columnNames(accountColumns).map((column) => `a.${column} as ${ACCOUNT_ALIAS}${column}`),
];
const rotatedAt = refreshTokenColumns.rotatedAt[0];
const lastUsedAt = sessionColumns.lastUsedAt[0];
const revokedAt = sessionColumns.revokedAt[0];

/**
 * The SQL {@link RefreshTokenRepository}. `findWithSession` is one SELECT: the token LEFT JOIN its
 * session LEFT JOIN the session's account, each by its primary key. `rotate` is one transaction: first
 * the session's touch, a conditional UPDATE (`… AND revoked_at IS NULL`) that sees a revocation
 * committed before it and locks the row against one that comes after; then the token's conditional
 * UPDATE (`… WHERE hash = ? AND rotated_at IS NULL`), which only one concurrent caller can win (the
 * others wait for its row lock, then find the token rotated); then, for the winner only, the INSERT of
 * the successor. A token spent by a concurrent call leaves the session's touch in place: it was used,
 * by that call. The session row is locked first: on MySQL, the successor's foreign-key check takes a
 * shared lock on it, and taking that before the touch's exclusive one would invite a deadlock with a
 * revocation. A clash on the successor's hash rolls everything back; a deadlock's victim (MySQL) runs
 * again whole (`transactRetrying`).
 */
export function createRefreshTokenRepository(ctx: StorageContext): RefreshTokenRepository {
  const { db, tables, dialect } = ctx;
  const byHash = prepared<[string]>(ctx, 'refreshTokens.byHash', 1, (q, hash) =>
    q.selectFrom(tables.refreshTokens).select(columns).where('hash', '=', hash),
  );
  // Read on every refresh: all it needs, at once.
  const withSession = prepared<[string]>(ctx, 'refreshTokens.withSession', 1, (q, hash) =>
    q
      .selectFrom(`${tables.refreshTokens} as t`)
      .leftJoin(`${tables.sessions} as s`, (on) => on.onRef('s.group_id', '=', 't.group_id').onRef('s.id', '=', 't.session_id'))
      .leftJoin(`${tables.accounts} as a`, (on) => on.onRef('a.group_id', '=', 's.group_id').onRef('a.id', '=', 's.account_id'))
      .select(joinedColumns)
      .where('t.hash', '=', hash),
  );
  const touchLive = prepared<[unknown, string, string]>(ctx, 'refreshTokens.touchSession', 3, (q, at, group, id) =>
    q.updateTable(tables.sessions).set({ [lastUsedAt]: at }).where('group_id', '=', group).where('id', '=', id).where(revokedAt, 'is', null),
  );
  const sessionLive = prepared<[string, string]>(ctx, 'refreshTokens.sessionLive', 2, (q, group, id) =>
    q.selectFrom(tables.sessions).select('id').where('group_id', '=', group).where('id', '=', id).where(revokedAt, 'is', null),
  );
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
  /** Sets a live session's last use; false when it is revoked or absent. */
  const touch = async (executor: Kysely<any>, group: string, id: string, at: Date): Promise<boolean> => {
    const { changed } = await touchLive(executor, toRow(sessionColumns, { lastUsedAt: at })[lastUsedAt], group, id);
    if (changed === 1n) return true;
    // MySQL counts the rows an UPDATE changed, not those it matched, when the client asks so (a
    // connection without FOUND_ROWS): a touch at the time already stored would read as 0. Look.
    return dialect.name === 'mysql' && (await sessionLive(executor, group, id)).rows.length === 1;
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

    async findWithSession(hash: string): Promise<RefreshTokenWithSession | null> {
      const [row] = (await withSession(db, hash)).rows;
      if (!row) return null;
      // A LEFT JOIN that found no row gives nulls in every one of its columns, its key included.
      const session = row[joinedSessionColumns.id[0]] == null ? null : fromRow(joinedSessionColumns, row);
      const account = row[joinedAccountColumns.id[0]] == null ? null : fromRow(joinedAccountColumns, row);
      return { token: fromRow(refreshTokenColumns, row), session, account };
    },

    async rotate(hash: string, next: RefreshTokenRecord, at: Date): Promise<RotateOutcome> {
      return conflictOnDuplicate(
        () =>
          transactRetrying(ctx, async (trx): Promise<RotateOutcome> => {
            if (!(await touch(trx, next.group, next.sessionId, at))) {
              const [row] = (await byHash(trx, hash)).rows;
              return row && row[rotatedAt] === null ? 'ended' : 'spent';
            }
            const { changed } = await markRotated(trx, toRow(refreshTokenColumns, { rotatedAt: at })[rotatedAt], hash);
            if (changed !== 1n) return 'spent';
            await insertRow(trx, next);
            return 'rotated';
          }),
        HASH_TAKEN,
      );
    },
  };
}
