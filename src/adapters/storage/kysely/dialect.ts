import { MysqlAdapter, PostgresAdapter, SqliteAdapter, type DialectAdapter, type Kysely } from 'kysely';

export type DialectName = 'postgres' | 'mysql' | 'sqlite';

/** What the storage needs to know about the database behind a Kysely instance. */
export interface DialectInfo {
  name: DialectName;
  /**
   * `UPDATE … RETURNING` works (PostgreSQL, SQLite ≥ 3.35). Without it (MySQL, MariaDB) the atomic
   * multi-row methods lock the rows with `SELECT … FOR UPDATE` in a transaction instead.
   */
  returning: boolean;
}

const ADAPTERS: ReadonlyArray<readonly [DialectName, abstract new () => DialectAdapter]> = [
  ['postgres', PostgresAdapter],
  ['mysql', MysqlAdapter],
  ['sqlite', SqliteAdapter],
];

/**
 * Reads the dialect from the Kysely instance's adapter, so the app never has to name it. Third-party
 * dialects (Neon, PGlite, libSQL, D1 …) reuse or extend these adapters; when the app's Kysely is another
 * copy of the package, the class name still tells.
 *
 * @throws Error for a dialect latchkey does not support (MSSQL …)
 */
export function inspectDialect(db: Kysely<any>): DialectInfo {
  const adapter = db.getExecutor().adapter;
  const name = dialectOf(adapter);
  if (name) return { name, returning: adapter.supportsReturning };
  throw new Error(
    `latchkey/kysely supports PostgreSQL, MySQL/MariaDB and SQLite; this Kysely instance uses ${adapter.constructor.name}.`,
  );
}

/** The database a dialect's adapter speaks for, or null for one latchkey does not support. */
export function dialectOf(adapter: DialectAdapter): DialectName | null {
  for (const [name, type] of ADAPTERS) {
    if (adapter instanceof type || hasClassNamed(adapter, type.name)) return name;
  }
  return null;
}

function hasClassNamed(value: object, name: string): boolean {
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name === name) return true;
  }
  return false;
}
