/** The parts of a better-sqlite3 statement Kysely's SqliteDialect uses, plus `busy`. */
export interface CachableStatement {
  /** Whether the statement returns rows (a `SELECT`, or a write with `RETURNING`). */
  readonly reader: boolean;
  /** True while the statement is being iterated: it cannot run a second query then. */
  readonly busy?: boolean;
  /** Runs it and returns every row. */
  all(parameters: ReadonlyArray<unknown>): unknown[];
  /** Runs a statement that returns no rows. */
  run(parameters: ReadonlyArray<unknown>): {
    /** Rows inserted, updated or deleted. */
    changes: number | bigint;
    /** The rowid of the last row inserted. */
    lastInsertRowid: number | bigint;
  };
  /** Runs it and yields the rows one by one; the statement is `busy` until the iteration ends. */
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown>;
}

/** The parts of a better-sqlite3 `Database` Kysely's SqliteDialect uses. */
export interface CachableDatabase<S extends CachableStatement = CachableStatement> {
  /** Closes the database; the wrapper from {@link cachedStatements} also drops the statements it kept. */
  close(): void;
  /** Compiles one SQL statement. */
  prepare(sql: string): S;
}

/** Options of {@link cachedStatements}. */
export interface CachedStatementsOptions {
  /** Compiled statements kept, least recently used dropped first. Default 500. */
  max?: number;
}

/**
 * Wraps a better-sqlite3 database so that `prepare` reuses compiled statements. Kysely's SqliteDialect
 * prepares every query anew, and compiling the SQL was the largest single cost of a token refresh on
 * SQLite (see docs/benchmarks.md). A statement another query is still iterating (`busy`) is never handed
 * out twice: that query gets a fresh one. SQLite recompiles cached statements itself after a schema change.
 *
 * @example
 * ```ts
 * const sqlite = new Database('data/app.sqlite')
 * sqlite.pragma('journal_mode = WAL')
 * const db = new Kysely<any>({ dialect: new SqliteDialect({ database: cachedStatements(sqlite) }) })
 * ```
 */
export function cachedStatements<S extends CachableStatement>(
  database: CachableDatabase<S>,
  options: CachedStatementsOptions = {},
): CachableDatabase<S> {
  const max = options.max ?? 500;
  if (!(Number.isSafeInteger(max) && max >= 1)) throw new RangeError('cachedStatements: max must be a positive integer');
  const cache = new Map<string, S>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Re-inserted: Map order is the recency order.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (cached) return statement;
      cache.set(sql, statement);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}
