import { sql, type Kysely, type Migration } from 'kysely';
import { foldForSearch } from '../../../../core/lib/search-cursor.js';
import { inspectDialect, type DialectName } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { addColumn, columnTypes, createIndex } from './column-types.js';

/** Rows re-folded per statement batch in the backfill of non-ASCII names. */
const BATCH = 500;

/**
 * Account search (`accounts.search`, `GET /accounts`). Accounts gain three derived columns of the
 * email's exact type (binary collation, indexable on MySQL): `first_name_search` and
 * `last_name_search`, the names folded to lower case (NFKC, then lower case), and `email_domain`. The
 * repository keeps them in step on every write; this migration fills them for existing rows. Indexes:
 * `(group_id, first_name_search)` and `(group_id, last_name_search)` for name prefixes (the email
 * prefix uses the unique `(group_id, email)`), `(group_id, created_at, id)` for the default order and
 * its cursors, `(group_id, email_domain, created_at, id)` for `restrictEmail`, and
 * `(group_id, status, created_at, id)` for the status filter. Expression indexes were not used: MySQL
 * before 8.0.13 and MariaDB have none, and SQLite's `lower()` folds ASCII only.
 */
export function accountSearchMigration(tables: TableNames): Migration {
  const table = tables.accounts;
  const derived = ['first_name_search', 'last_name_search', 'email_domain'];
  const indexes = [
    { name: `${table}_first_name_idx`, table, columns: ['group_id', 'first_name_search'] },
    { name: `${table}_last_name_idx`, table, columns: ['group_id', 'last_name_search'] },
    { name: `${table}_created_idx`, table, columns: ['group_id', 'created_at', 'id'] },
    { name: `${table}_domain_idx`, table, columns: ['group_id', 'email_domain', 'created_at', 'id'] },
    { name: `${table}_status_idx`, table, columns: ['group_id', 'status', 'created_at', 'id'] },
  ];
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      const t = columnTypes(dialect);
      for (const column of derived) await addColumn(db, dialect, { table, column, type: t.email });
      await backfill(db, dialect, table);
      for (const index of indexes) await createIndex(db, dialect, index);
    },

    async down(db: Kysely<any>): Promise<void> {
      const mysql = inspectDialect(db).name === 'mysql';
      for (const { name } of indexes) {
        if (mysql) await db.schema.dropIndex(name).on(table).execute();
        else await db.schema.dropIndex(name).ifExists().execute();
      }
      for (const column of derived) await db.schema.alterTable(table).dropColumn(column).execute();
    },
  };
}

/**
 * Fills the derived columns: one UPDATE with the database's `lower()` (exact for ASCII on every
 * dialect), then the rows whose names hold anything else are folded again in JavaScript, like the
 * repository does, so that no collation's idea of lower case leaks in.
 */
async function backfill(db: Kysely<any>, dialect: DialectName, table: string): Promise<void> {
  const domain =
    dialect === 'postgres'
      ? sql`substring(email from '@([^@]*)$')`
      : dialect === 'mysql'
        ? sql`substring_index(email, '@', -1)`
        : sql`substr(email, instr(email, '@') + 1)`;
  await db
    .updateTable(table)
    .set({ first_name_search: sql`lower(first_name)`, last_name_search: sql`lower(last_name)`, email_domain: domain })
    .execute();

  // A name is non-ASCII exactly when its length in characters and in bytes differ.
  const bytes = (column: string) =>
    dialect === 'sqlite' ? sql`length(cast(${sql.ref(column)} as blob))` : dialect === 'mysql' ? sql`length(${sql.ref(column)})` : sql`octet_length(${sql.ref(column)})`;
  const chars = (column: string) => (dialect === 'sqlite' ? sql`length(${sql.ref(column)})` : sql`char_length(${sql.ref(column)})`);
  let after: { group: string; id: string } | null = null;
  for (;;) {
    let query = db
      .selectFrom(table)
      .select(['group_id', 'id', 'first_name', 'last_name'])
      .where((eb) =>
        eb.or([eb(chars('first_name'), '<>', bytes('first_name')), eb(chars('last_name'), '<>', bytes('last_name'))]),
      );
    if (after) {
      const { group, id } = after;
      query = query.where((eb) => eb.or([eb('group_id', '>', group), eb.and([eb('group_id', '=', group), eb('id', '>', id)])]));
    }
    const rows = await query.orderBy('group_id').orderBy('id').limit(BATCH).execute();
    for (const row of rows) {
      const fold = (value: unknown) => (value === null || value === undefined ? null : foldForSearch(String(value)));
      await db
        .updateTable(table)
        .set({ first_name_search: fold(row.first_name), last_name_search: fold(row.last_name) })
        .where('group_id', '=', row.group_id)
        .where('id', '=', row.id)
        .execute();
    }
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1]!;
    after = { group: String(last.group_id), id: String(last.id) };
  }
}
