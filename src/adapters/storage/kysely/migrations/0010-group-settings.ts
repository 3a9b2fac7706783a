import type { Kysely, Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { addColumn, columnTypes } from './column-types.js';

/**
 * A group's own policy (`GroupRecord.settings`): one nullable text column `settings` on
 * `<prefix>groups` holding a JSON object. Existing groups keep null, which reads as `{}` (no override),
 * so nothing needs a backfill. Never searched, so not indexed; text rather than a JSON type so that the
 * three dialects store it alike. The statement tolerates a second run, as in the earlier migrations.
 */
export function groupSettingsMigration(tables: TableNames): Migration {
  const table = tables.groups;
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      await addColumn(db, dialect, { table, column: 'settings', type: columnTypes(dialect).text });
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable(table).dropColumn('settings').execute();
    },
  };
}
