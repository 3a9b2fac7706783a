import type { Kysely, Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { createIndex } from './column-types.js';

/**
 * An index on `<prefix>webauthn_challenges (expires_at)`, for `deleteExpired` (run by
 * `purgeDeletedAccounts`): the expired challenges are found without reading the table. The statement
 * tolerates a second run, as in the earlier migrations.
 */
export function webauthnChallengeExpiryMigration(tables: TableNames): Migration {
  const name = `${tables.webauthnChallenges}_expires_idx`;
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      await createIndex(db, dialect, { name, table: tables.webauthnChallenges, columns: ['expires_at'] });
    },

    async down(db: Kysely<any>): Promise<void> {
      // MySQL names the table of the index and has no `IF EXISTS` here.
      if (inspectDialect(db).name === 'mysql') {
        await db.schema.dropIndex(name).on(tables.webauthnChallenges).execute();
        return;
      }
      await db.schema.dropIndex(name).ifExists().execute();
    },
  };
}
