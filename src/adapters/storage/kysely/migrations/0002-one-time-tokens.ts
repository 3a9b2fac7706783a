import type { Kysely, Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { columnTypes, createIndex, createTable } from './column-types.js';

/**
 * One-time tokens (email verification, password reset) and the purge job's lookup of deleted accounts.
 *
 * `<prefix>one_time_tokens` is keyed by hash (`consume` takes no group) and indexed by
 * `(group_id, account_id, purpose)`, the rows `issue` retires; its foreign key to the account cascades
 * like the sessions'. Accounts gain an index on `(status, deleted_at, id)`: `listDeletedBefore` ranges
 * over it in the order it returns. On MySQL `status` was a `text` column, which an index cannot hold
 * whole, so it becomes a `varchar` first (re-running the change is harmless). Every statement tolerates
 * a second run, as in the first migration.
 */
export function oneTimeTokensMigration(tables: TableNames): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      const t = columnTypes(dialect);
      const { accounts, oneTimeTokens } = tables;

      await createTable(db, dialect, oneTimeTokens)
        .addColumn('hash', t.key, (c) => c.notNull())
        .addColumn('purpose', t.key, (c) => c.notNull())
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('account_id', t.key, (c) => c.notNull())
        .addColumn('email', t.email, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addColumn('consumed_at', t.time)
        .addPrimaryKeyConstraint(`${oneTimeTokens}_pkey`, ['hash'])
        .addForeignKeyConstraint(`${oneTimeTokens}_account_fkey`, ['group_id', 'account_id'], accounts, ['group_id', 'id'], (fk) =>
          fk.onDelete('cascade'),
        )
        .execute();
      await createIndex(db, dialect, {
        name: `${oneTimeTokens}_account_idx`,
        table: oneTimeTokens,
        columns: ['group_id', 'account_id', 'purpose'],
      });

      if (dialect === 'mysql') {
        await db.schema.alterTable(accounts).modifyColumn('status', t.key, (c) => c.notNull()).execute();
      }
      await createIndex(db, dialect, {
        name: `${accounts}_deleted_idx`,
        table: accounts,
        columns: ['status', 'deleted_at', 'id'],
      });
    },

    async down(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      const { accounts, oneTimeTokens } = tables;
      const dropIndex = db.schema.dropIndex(`${accounts}_deleted_idx`);
      await (dialect === 'mysql' ? dropIndex.on(accounts) : dropIndex.ifExists()).execute();
      if (dialect === 'mysql') {
        await db.schema.alterTable(accounts).modifyColumn('status', columnTypes(dialect).text, (c) => c.notNull()).execute();
      }
      await db.schema.dropTable(oneTimeTokens).ifExists().execute();
    },
  };
}
