import type { ForeignKeyConstraintBuilder, Kysely, Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { columnTypes, createIndex, createTable } from './column-types.js';

/**
 * Passkeys and their challenges.
 *
 * `<prefix>webauthn_credentials` holds each account's passkeys. A credential id may be up to 1,023 bytes
 * (1,364 characters in base64url), more than a MySQL index can hold beside the group id, so the primary
 * key is `(group_id, id_hash)`, `id_hash` being the SHA-256 of the id (base64url), and the id itself is
 * a text column that is never indexed; every dialect stores it the same way. `counter` is a BIGINT (the
 * authenticator's counter is unsigned 32-bit), `transports` a JSON array in text. An index on
 * `(group_id, account_id, created_at)` lists an account's passkeys in order and serves the foreign key,
 * which cascades like the sessions'.
 *
 * `<prefix>webauthn_challenges` is keyed by hash (`consume` takes no group). `account_id` is null for a
 * discoverable sign-in; the foreign key to the account then checks nothing (MATCH SIMPLE, as for login
 * attempts) and otherwise cascades. The index on `(group_id, account_id)` serves it and the explicit
 * delete of `accounts.delete`. Every statement tolerates a second run, as in the earlier migrations.
 */
export function passkeysMigration(tables: TableNames): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      const t = columnTypes(dialect);
      const { accounts, webauthnCredentials, webauthnChallenges } = tables;
      const cascade = (fk: ForeignKeyConstraintBuilder) => fk.onDelete('cascade');

      await createTable(db, dialect, webauthnCredentials)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('id_hash', t.key, (c) => c.notNull())
        .addColumn('id', t.longKey, (c) => c.notNull())
        .addColumn('account_id', t.key, (c) => c.notNull())
        .addColumn('public_key', t.text, (c) => c.notNull())
        .addColumn('counter', t.bigInteger, (c) => c.notNull())
        .addColumn('transports', t.text, (c) => c.notNull())
        .addColumn('device_type', t.text, (c) => c.notNull())
        .addColumn('backed_up', t.boolean, (c) => c.notNull())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('last_used_at', t.time)
        .addPrimaryKeyConstraint(`${webauthnCredentials}_pkey`, ['group_id', 'id_hash'])
        .addForeignKeyConstraint(
          `${webauthnCredentials}_account_fkey`,
          ['group_id', 'account_id'],
          accounts,
          ['group_id', 'id'],
          cascade,
        )
        .execute();
      await createIndex(db, dialect, {
        name: `${webauthnCredentials}_account_idx`,
        table: webauthnCredentials,
        columns: ['group_id', 'account_id', 'created_at'],
      });

      await createTable(db, dialect, webauthnChallenges)
        .addColumn('hash', t.key, (c) => c.notNull())
        .addColumn('purpose', t.key, (c) => c.notNull())
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('account_id', t.key)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addColumn('consumed_at', t.time)
        .addPrimaryKeyConstraint(`${webauthnChallenges}_pkey`, ['hash'])
        .addForeignKeyConstraint(
          `${webauthnChallenges}_account_fkey`,
          ['group_id', 'account_id'],
          accounts,
          ['group_id', 'id'],
          cascade,
        )
        .execute();
      await createIndex(db, dialect, {
        name: `${webauthnChallenges}_account_idx`,
        table: webauthnChallenges,
        columns: ['group_id', 'account_id'],
      });
    },

    async down(db: Kysely<any>): Promise<void> {
      const { webauthnCredentials, webauthnChallenges } = tables;
      await db.schema.dropTable(webauthnChallenges).ifExists().execute();
      await db.schema.dropTable(webauthnCredentials).ifExists().execute();
    },
  };
}
