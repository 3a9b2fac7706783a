import type { ForeignKeyConstraintBuilder, Kysely, Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { columnTypes, createIndex, createTable } from './column-types.js';

/**
 * The six tables of the Storage port. Times are epoch milliseconds (BIGINT); `roles` and `amr` are JSON
 * arrays in text. Every lookup the core makes has an index: groups, refresh tokens and signing keys by
 * primary key; accounts, sessions and login attempts by `(group_id, id)`; accounts by unique
 * `(group_id, email)`; sessions by `(group_id, account_id, created_at, id)`; refresh tokens by session;
 * login attempts by `(group_id, account_id, attempted_at, id)`; signing keys by unique
 * `(group_id, generation)`. Foreign keys cascade from groups down to refresh tokens. `owner_id` has no
 * foreign key: a group names its owner before the owner's account exists.
 */
export function initialMigration(tables: TableNames): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      const t = columnTypes(dialect);
      const cascade = (fk: ForeignKeyConstraintBuilder) => fk.onDelete('cascade');
      const { groups, accounts, sessions, refreshTokens, loginAttempts, signingKeys } = tables;

      await createTable(db, dialect, groups)
        .addColumn('id', t.key, (c) => c.notNull())
        .addColumn('name', t.text)
        .addColumn('locked', t.boolean, (c) => c.notNull())
        .addColumn('owner_id', t.key)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint(`${groups}_pkey`, ['id'])
        .execute();

      await createTable(db, dialect, accounts)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('id', t.key, (c) => c.notNull())
        .addColumn('email', t.email, (c) => c.notNull())
        .addColumn('email_verified_at', t.time)
        .addColumn('email_added_at', t.time, (c) => c.notNull())
        .addColumn('first_name', t.text)
        .addColumn('last_name', t.text)
        .addColumn('password_hash', t.text)
        .addColumn('roles', t.text, (c) => c.notNull())
        .addColumn('allow_support_login', t.boolean, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('status_changed_at', t.time, (c) => c.notNull())
        .addColumn('status_reason', t.text)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('deleted_at', t.time)
        .addColumn('last_login_at', t.time)
        .addColumn('last_login_device', t.text)
        .addColumn('last_password_change_at', t.time)
        .addPrimaryKeyConstraint(`${accounts}_pkey`, ['group_id', 'id'])
        .addUniqueConstraint(`${accounts}_email_key`, ['group_id', 'email'])
        .addForeignKeyConstraint(`${accounts}_group_fkey`, ['group_id'], groups, ['id'], cascade)
        .execute();

      await createTable(db, dialect, sessions)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('id', t.key, (c) => c.notNull())
        .addColumn('account_id', t.key, (c) => c.notNull())
        .addColumn('amr', t.text, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('last_used_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addColumn('revoked_at', t.time)
        .addColumn('revoked_reason', t.text)
        .addColumn('ip', t.text)
        .addColumn('user_agent', t.text)
        .addPrimaryKeyConstraint(`${sessions}_pkey`, ['group_id', 'id'])
        .addForeignKeyConstraint(`${sessions}_account_fkey`, ['group_id', 'account_id'], accounts, ['group_id', 'id'], cascade)
        .execute();
      await createIndex(db, dialect, {
        name: `${sessions}_account_idx`,
        table: sessions,
        columns: ['group_id', 'account_id', 'created_at', 'id'],
      });

      await createTable(db, dialect, refreshTokens)
        .addColumn('hash', t.key, (c) => c.notNull())
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('session_id', t.key, (c) => c.notNull())
        .addColumn('account_id', t.key, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('rotated_at', t.time)
        .addPrimaryKeyConstraint(`${refreshTokens}_pkey`, ['hash'])
        .addForeignKeyConstraint(`${refreshTokens}_session_fkey`, ['group_id', 'session_id'], sessions, ['group_id', 'id'], cascade)
        .execute();
      await createIndex(db, dialect, {
        name: `${refreshTokens}_session_idx`,
        table: refreshTokens,
        columns: ['group_id', 'session_id'],
      });

      await createTable(db, dialect, loginAttempts)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('id', t.key, (c) => c.notNull())
        .addColumn('account_id', t.key)
        .addColumn('email', t.email)
        .addColumn('attempted_at', t.time, (c) => c.notNull())
        .addColumn('ip', t.text)
        .addColumn('user_agent', t.text)
        .addColumn('success', t.boolean, (c) => c.notNull())
        .addColumn('method', t.text, (c) => c.notNull())
        .addColumn('failure_reason', t.text)
        .addPrimaryKeyConstraint(`${loginAttempts}_pkey`, ['group_id', 'id'])
        .addForeignKeyConstraint(`${loginAttempts}_account_fkey`, ['group_id', 'account_id'], accounts, ['group_id', 'id'], cascade)
        .execute();
      await createIndex(db, dialect, {
        name: `${loginAttempts}_account_idx`,
        table: loginAttempts,
        columns: ['group_id', 'account_id', 'attempted_at', 'id'],
      });

      await createTable(db, dialect, signingKeys)
        .addColumn('id', t.key, (c) => c.notNull())
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('generation', t.integer, (c) => c.notNull())
        .addColumn('alg', t.text, (c) => c.notNull())
        .addColumn('public_jwk', t.text, (c) => c.notNull())
        .addColumn('private_jwk_sealed', t.text, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint(`${signingKeys}_pkey`, ['id'])
        .addUniqueConstraint(`${signingKeys}_generation_key`, ['group_id', 'generation'])
        .addForeignKeyConstraint(`${signingKeys}_group_fkey`, ['group_id'], groups, ['id'], cascade)
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      const { groups, accounts, sessions, refreshTokens, loginAttempts, signingKeys } = tables;
      for (const table of [signingKeys, loginAttempts, refreshTokens, sessions, accounts, groups]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
