import type { ForeignKeyConstraintBuilder, Kysely, Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { columnTypes, createIndex, createTable } from './column-types.js';

/**
 * `<prefix>audit_log`, the administrators' actions: primary key `(group_id, id)`, pages of a group
 * newest first from `(group_id, occurred_at, id)`, retention from `(occurred_at)`. The group's foreign
 * key cascades; the actor and the target have none, since the log outlives the accounts it names.
 * `details` is JSON in text. The statements tolerate a second run, as in the earlier migrations.
 */
export function auditLogMigration(tables: TableNames): Migration {
  const table = tables.auditLog;
  const indexes = [
    { name: `${table}_group_time_idx`, table, columns: ['group_id', 'occurred_at', 'id'] },
    { name: `${table}_time_idx`, table, columns: ['occurred_at'] },
  ];
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      const t = columnTypes(dialect);
      const cascade = (fk: ForeignKeyConstraintBuilder) => fk.onDelete('cascade');
      await createTable(db, dialect, table)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('id', t.key, (c) => c.notNull())
        .addColumn('occurred_at', t.time, (c) => c.notNull())
        .addColumn('actor_id', t.key)
        .addColumn('actor_ip', t.text)
        .addColumn('action', t.key, (c) => c.notNull())
        .addColumn('target_type', t.key, (c) => c.notNull())
        .addColumn('target_id', t.key, (c) => c.notNull())
        .addColumn('details', t.text)
        .addPrimaryKeyConstraint(`${table}_pkey`, ['group_id', 'id'])
        .addForeignKeyConstraint(`${table}_group_fkey`, ['group_id'], tables.groups, ['id'], cascade)
        .execute();
      for (const index of indexes) await createIndex(db, dialect, index);
    },

    async down(db: Kysely<any>): Promise<void> {
      // The indexes go with the table.
      await db.schema.dropTable(table).ifExists().execute();
    },
  };
}
