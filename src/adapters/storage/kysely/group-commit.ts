import type { Dialect } from 'kysely';
import { dialectOf } from './dialect.js';
import { GroupCommitDriver } from './group-commit-driver.js';

/**
 * Group commit for SQLite: wraps Kysely's `SqliteDialect` (better-sqlite3, one connection) so that the
 * transactions that finish in one turn of the event loop are made durable by one COMMIT, and so one
 * sync of the write-ahead log to disk, instead of one each. Under `PRAGMA synchronous = FULL` (SQLite's
 * default) that sync is most of what a small write transaction costs, and better-sqlite3 waits for it on
 * the event loop.
 *
 * What stays the same:
 * - a transaction's commit resolves only after the COMMIT that made it durable; when that COMMIT fails,
 *   every transaction of the group fails with its error and none of them is stored;
 * - a write outside a transaction resolves only once it is durable: it first commits the waiting group;
 * - each transaction runs under a savepoint of the group's transaction, and its rollback (its error, a
 *   failed statement) undoes its work only;
 * - transactions still run one at a time on the one connection, each seeing the ones before it.
 *
 * What changes:
 * - a SELECT outside a transaction that runs while a group waits for its COMMIT sees the group's
 *   writes before they are durable. They reach disk unless that COMMIT fails (a full or failing disk);
 *   then what that SELECT answered was never stored;
 * - a constraint SQLite checks only at COMMIT (a `DEFERRABLE INITIALLY DEFERRED` foreign key) that one
 *   transaction breaks fails its whole group. latchkey's tables have none.
 *
 * The group's COMMIT runs after the event loop's I/O, as soon as whoever holds the connection then
 * (a transaction still running, a query) lets go of it.
 *
 * @throws TypeError for a dialect that is not SQLite
 * @example
 * ```ts
 * const sqlite = new Database('data/app.sqlite')
 * sqlite.pragma('journal_mode = WAL')
 * const db = new Kysely<any>({
 *   dialect: sqliteGroupCommit(new SqliteDialect({ database: cachedStatements(sqlite) })),
 * })
 * ```
 */
export function sqliteGroupCommit(dialect: Dialect): Dialect {
  // Another database runs its own group commit, on a pool this would serialize.
  if (dialectOf(dialect.createAdapter()) !== 'sqlite') {
    throw new TypeError("sqliteGroupCommit: the dialect is not SQLite (it wraps Kysely's SqliteDialect)");
  }
  return {
    createDriver: () => new GroupCommitDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
