import type Database from 'better-sqlite3';

/**
 * A better-sqlite3 database for Kysely's SqliteDialect that fails one statement on demand the way SQLite
 * fails it for an I/O error: the transaction is rolled back, then `SQLITE_IOERR_WRITE` is thrown. Every
 * other statement runs as it is.
 */
export function faultySqlite(sqlite: Database.Database) {
  let failing: string | null = null;
  const database = {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const statement = sqlite.prepare(sql);
      if (sql !== failing) return statement;
      return {
        reader: statement.reader,
        all: (parameters: unknown[]) => statement.all(...parameters),
        iterate: (parameters: unknown[]) => statement.iterate(...parameters),
        run() {
          failing = null;
          if (sqlite.inTransaction) sqlite.exec('rollback');
          throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
        },
      };
    },
  };
  return {
    database,
    /** The next run of `sql` (exactly as Kysely compiles it, e.g. `commit`) fails. */
    failNext(sql: string): void {
      failing = sql;
    },
    /** A failure asked for has not happened yet. */
    get armed(): boolean {
      return failing !== null;
    },
  };
}
