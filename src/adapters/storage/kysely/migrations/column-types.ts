import { sql, type CreateTableBuilder, type Expression, type Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';

/** The logical column types of latchkey's tables. */
export interface ColumnTypes {
  /**
   * Ids, hashes, group ids, and the codes that are indexed (token purposes, and account statuses from
   * migration 0002 on): compared byte for byte.
   */
  key: Expression<unknown>;
  /** Normalised emails: indexed, compared byte for byte. */
  email: Expression<unknown>;
  /** Anything else textual (names, user agents, JSON arrays, JWKs); never indexed. */
  text: Expression<unknown>;
  /** Epoch milliseconds. */
  time: Expression<unknown>;
  boolean: Expression<unknown>;
  integer: Expression<unknown>;
}

/**
 * Per dialect:
 * - PostgreSQL: `text`; keys and emails `COLLATE "C"` so that they compare and sort by code point
 *   whatever the database's locale, as the in-memory reference does.
 * - MySQL/MariaDB: indexed columns need lengths (191 × 4 bytes fits the smallest InnoDB index prefix;
 *   320 is the longest email); the tables default to `utf8mb4_bin`, so ids, hashes and emails compare
 *   exactly (the default `_ci` collations would make `A@x` and `a@x` one email).
 * - SQLite: `text` compares bytes already.
 */
export function columnTypes(dialect: DialectName): ColumnTypes {
  const common = { time: sql`bigint`, integer: sql`integer` };
  switch (dialect) {
    case 'postgres':
      return { ...common, key: sql`text collate "C"`, email: sql`text collate "C"`, text: sql`text`, boolean: sql`boolean` };
    case 'mysql':
      return { ...common, key: sql`varchar(191)`, email: sql`varchar(320)`, text: sql`text`, boolean: sql`boolean` };
    case 'sqlite':
      return { ...common, key: sql`text`, email: sql`text`, text: sql`text`, boolean: sql`integer` };
  }
}

/** `CREATE TABLE IF NOT EXISTS`, with MySQL's table options (InnoDB for the foreign keys, exact collation). */
export function createTable(db: Kysely<any>, dialect: DialectName, name: string): CreateTableBuilder<string, never> {
  const builder = db.schema.createTable(name).ifNotExists();
  return dialect === 'mysql'
    ? builder.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`)
    : builder;
}

/** MySQL's error for `CREATE INDEX` of a name the table already has. */
const ER_DUP_KEYNAME = 1061;

/**
 * `CREATE INDEX IF NOT EXISTS` (MySQL has no such clause: a duplicate name is caught instead), so that
 * a migration interrupted on a dialect without transactional DDL can simply run again.
 */
export async function createIndex(
  db: Kysely<any>,
  dialect: DialectName,
  options: { name: string; table: string; columns: string[] },
): Promise<void> {
  const builder = db.schema.createIndex(options.name).on(options.table).columns(options.columns);
  if (dialect !== 'mysql') return builder.ifNotExists().execute();
  try {
    await builder.execute();
  } catch (error) {
    if ((error as { errno?: unknown }).errno !== ER_DUP_KEYNAME) throw error;
  }
}
