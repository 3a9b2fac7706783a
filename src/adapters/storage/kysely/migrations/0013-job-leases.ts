import type { Kysely, Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { columnTypes, createTable } from './column-types.js';

/**
 * `<prefix>job_leases`, one row per background job that an instance holds or held (issue 19): `name`
 * (primary key), `owner` and `expires_at` (epoch milliseconds). A row, not an advisory lock, so that it
 * works alike on the three databases, needs no connection held for the job's duration, and frees
 * itself when its holder dies. The statement tolerates a second run, as in the earlier migrations.
 */
export function jobLeasesMigration(tables: TableNames): Migration {
  const table = tables.jobLeases;
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      const t = columnTypes(dialect);
      await createTable(db, dialect, table)
        .addColumn('name', t.key, (c) => c.notNull())
        .addColumn('owner', t.key, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pkey`, ['name'])
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable(table).ifExists().execute();
    },
  };
}
