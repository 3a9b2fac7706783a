import type { Kysely, Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { addColumn, columnTypes } from './column-types.js';

/**
 * Who acted in a support session: two nullable columns on `<prefix>login_attempts`, `actor_id` (the
 * administrator's account id) and `actor_ip` (their address), null for every owner's own attempt, so
 * existing rows need no backfill. Never searched, so not indexed. The statements tolerate a second run,
 * as in the earlier migrations.
 */
export function loginAttemptActorMigration(tables: TableNames): Migration {
  const table = tables.loginAttempts;
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      const t = columnTypes(dialect);
      await addColumn(db, dialect, { table, column: 'actor_id', type: t.text });
      await addColumn(db, dialect, { table, column: 'actor_ip', type: t.text });
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable(table).dropColumn('actor_ip').execute();
      await db.schema.alterTable(table).dropColumn('actor_id').execute();
    },
  };
}
