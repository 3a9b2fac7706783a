import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Expression, type Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';

/** The logical column types of latchkey's tables. */
export interface ColumnTypes {
  /**
   * Ids, hashes, group ids, and the codes that are indexed (token purposes, and account statuses from
   * migration 0002 on): compared byte for byte.
   */
  key: Expression<unknown>;
  /**
   * Identifiers too long for a MySQL index (passkey credential ids: up to 1,023 bytes, 1,364 characters
   * in base64url), compared byte for byte. Never indexed: looked up through an indexed hash instead.
   */
  longKey: Expression<unknown>;
  /** Normalised emails: indexed, compared byte for byte. */
  email: Expression<unknown>;
  /** Anything else textual (names, user agents, JSON arrays, JWKs); never indexed. */
  text: Expression<unknown>;
  /** Epoch milliseconds. */
  time: Expression<unknown>;
  boolean: Expression<unknown>;
  integer: Expression<unknown>;
  /** Integers that may pass 2³¹ (TOTP time steps). */
  bigInteger: Expression<unknown>;
}

/**
 * Per dialect:
 * - PostgreSQL: `text`; keys and emails `COLLATE "C"` so that they compare and sort by code point
 *   whatever the database's locale, as the in-memory reference does.
 * - MySQL/MariaDB: indexed columns need lengths (191 × 4 bytes fits the smallest InnoDB index prefix;
 *   320 is the longest email); the tables default to `utf8mb4_bin`, so ids, hashes and emails compare
 *   exactly (the default `_ci` collations would make `A@x` and `a@x` one email). Long keys are `text`,
 *   which takes the table's `utf8mb4_bin` too.
 * - SQLite: `text` compares bytes already.
 */
export function columnTypes(dialect: DialectName): ColumnTypes {
  const common = { time: sql`bigint`, integer: sql`integer`, bigInteger: sql`bigint` };
  switch (dialect) {
    case 'postgres':
      return {
        ...common,
        key: sql`text collate "C"`,
        longKey: sql`text collate "C"`,
        email: sql`text collate "C"`,
        text: sql`text`,
        boolean: sql`boolean`,
      };
    case 'mysql':
      return { ...common, key: sql`varchar(191)`, longKey: sql`text`, email: sql`varchar(320)`, text: sql`text`, boolean: sql`boolean` };
    case 'sqlite':
      return { ...common, key: sql`text`, longKey: sql`text`, email: sql`text`, text: sql`text`, boolean: sql`integer` };
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

/** MySQL's error for `ADD COLUMN` of a name the table already has. */
const ER_DUP_FIELDNAME = 1060;

/**
 * `ALTER TABLE … ADD COLUMN IF NOT EXISTS`, so that a migration interrupted on a dialect without
 * transactional DDL can simply run again: PostgreSQL has the clause (and runs migrations in a
 * transaction anyway); MySQL and SQLite lack it, so their duplicate-column error is caught instead.
 */
export async function addColumn(
  db: Kysely<any>,
  dialect: DialectName,
  options: { table: string; column: string; type: Expression<unknown>; build?: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder },
): Promise<void> {
  const build = options.build ?? ((column) => column);
  const alter = db.schema.alterTable(options.table);
  if (dialect === 'postgres') {
    await alter.addColumn(options.column, options.type, (c) => build(c).ifNotExists()).execute();
    return;
  }
  try {
    await alter.addColumn(options.column, options.type, build).execute();
  } catch (error) {
    if (!isDuplicateColumn(error)) throw error;
  }
}

function isDuplicateColumn(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { errno, message } = error as { errno?: unknown; message?: unknown };
  // better-sqlite3 reports it as a plain SQLITE_ERROR; only the message tells.
  return errno === ER_DUP_FIELDNAME || (typeof message === 'string' && message.startsWith('duplicate column name'));
}
