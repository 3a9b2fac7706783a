import { sql, type Kysely, type Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';

/**
 * Name search in email order (`GET /accounts?q=…&orderBy=email`) answered from the index alone. A name
 * prefix's matches are read through the index on the folded name and sorted by email; with the email
 * and id in that index, PostgreSQL and SQLite read no table rows to do it (an index-only scan of 33,000
 * entries takes about 15 ms where reading the rows took over a second, docs/benchmarks.md). The new
 * indexes lead with the same columns as migration 0008's name indexes, which they replace.
 *
 * PostgreSQL: `(group_id, <name>) INCLUDE (email, id)`. SQLite: `(group_id, <name>, email, id)`.
 * MySQL/MariaDB: unchanged; the four columns pass InnoDB's 3,072-byte key limit, and its secondary
 * indexes carry the primary key already.
 */
export function nameSearchCoveringMigration(tables: TableNames): Migration {
  const table = tables.accounts;
  const names = ['first_name', 'last_name'] as const;
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      if (dialect === 'mysql') return;
      for (const name of names) {
        const index = sql.id(`${table}_${name}_cover_idx`);
        const columns =
          dialect === 'postgres'
            ? sql`(group_id, ${sql.ref(`${name}_search`)}) include (email, id)`
            : sql`(group_id, ${sql.ref(`${name}_search`)}, email, id)`;
        await sql`create index if not exists ${index} on ${sql.table(table)} ${columns}`.execute(db);
        await db.schema.dropIndex(`${table}_${name}_idx`).ifExists().execute();
      }
    },

    async down(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      if (dialect === 'mysql') return;
      for (const name of names) {
        await db.schema
          .createIndex(`${table}_${name}_idx`)
          .ifNotExists()
          .on(table)
          .columns(['group_id', `${name}_search`])
          .execute();
        await db.schema.dropIndex(`${table}_${name}_cover_idx`).ifExists().execute();
      }
    },
  };
}
