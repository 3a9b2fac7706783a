import type { Kysely, Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { createIndex } from './column-types.js';

/**
 * Two indexes on `<prefix>login_attempts` for `loginAttempts.purge` (run by `purgeDeletedAccounts`):
 * `(attempted_at)` finds the attempts past the retention, and `(account_id, attempted_at)` finds the
 * unknown-address ones (`account_id IS NULL`, kept only a day by default) without reading the months
 * of known history in between. The statements tolerate a second run, as in the earlier migrations.
 */
export function loginAttemptRetentionMigration(tables: TableNames): Migration {
  const table = tables.loginAttempts;
  const indexes = [
    { name: `${table}_time_idx`, table, columns: ['attempted_at'] },
    { name: `${table}_unknown_idx`, table, columns: ['account_id', 'attempted_at'] },
  ];
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      for (const index of indexes) await createIndex(db, dialect, index);
    },

    async down(db: Kysely<any>): Promise<void> {
      const mysql = inspectDialect(db).name === 'mysql';
      for (const { name } of indexes) {
        // MySQL names the table of the index and has no `IF EXISTS` here.
        if (mysql) await db.schema.dropIndex(name).on(table).execute();
        else await db.schema.dropIndex(name).ifExists().execute();
      }
    },
  };
}
