import type { ForeignKeyConstraintBuilder, Kysely, Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { addColumn, columnTypes, createTable } from './column-types.js';

/**
 * Phones and second factors.
 *
 * Accounts gain nullable columns for the phone, the sealed TOTP secrets (text), the last TOTP step used
 * (BIGINT), the times each factor was enabled (epoch ms), and `recovery_codes_remaining` (integer, not
 * null, default 0, so existing rows need no backfill).
 *
 * `<prefix>recovery_codes` holds the hashes of each account's codes, keyed by
 * `(group_id, account_id, hash)`; `<prefix>otp_codes` holds the live or last one-time code of each
 * `(group_id, account_id, channel, purpose)`, its key. Both primary keys start with the account, so
 * they also serve the foreign keys, which cascade like the sessions'. Every statement tolerates a
 * second run, as in the earlier migrations.
 */
export function twoFactorMigration(tables: TableNames): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      const t = columnTypes(dialect);
      const { accounts, recoveryCodes, otpCodes } = tables;
      const cascade = (fk: ForeignKeyConstraintBuilder) => fk.onDelete('cascade');

      for (const [column, type] of ACCOUNT_COLUMNS) {
        await addColumn(db, dialect, { table: accounts, column, type: t[type] });
      }
      await addColumn(db, dialect, {
        table: accounts,
        column: 'recovery_codes_remaining',
        type: t.integer,
        build: (c) => c.notNull().defaultTo(0),
      });

      await createTable(db, dialect, recoveryCodes)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('account_id', t.key, (c) => c.notNull())
        .addColumn('hash', t.key, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('used_at', t.time)
        .addPrimaryKeyConstraint(`${recoveryCodes}_pkey`, ['group_id', 'account_id', 'hash'])
        .addForeignKeyConstraint(`${recoveryCodes}_account_fkey`, ['group_id', 'account_id'], accounts, ['group_id', 'id'], cascade)
        .execute();

      // Four keys of 191 characters: 3,056 bytes in utf8mb4, within InnoDB's 3,072-byte key limit.
      await createTable(db, dialect, otpCodes)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('account_id', t.key, (c) => c.notNull())
        .addColumn('channel', t.key, (c) => c.notNull())
        .addColumn('purpose', t.key, (c) => c.notNull())
        .addColumn('code_hash', t.key, (c) => c.notNull())
        .addColumn('attempts', t.integer, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addColumn('consumed_at', t.time)
        .addPrimaryKeyConstraint(`${otpCodes}_pkey`, ['group_id', 'account_id', 'channel', 'purpose'])
        .addForeignKeyConstraint(`${otpCodes}_account_fkey`, ['group_id', 'account_id'], accounts, ['group_id', 'id'], cascade)
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      const { accounts, recoveryCodes, otpCodes } = tables;
      await db.schema.dropTable(otpCodes).ifExists().execute();
      await db.schema.dropTable(recoveryCodes).ifExists().execute();
      // One column per statement: SQLite drops no more at a time.
      for (const column of [...ACCOUNT_COLUMNS.map(([name]) => name), 'recovery_codes_remaining']) {
        await db.schema.alterTable(accounts).dropColumn(column).execute();
      }
    },
  };
}

/** The nullable account columns, with their logical types. */
const ACCOUNT_COLUMNS = [
  ['phone_number', 'text'],
  ['phone_verified_at', 'time'],
  ['totp_secret_sealed', 'text'],
  ['totp_pending_secret_sealed', 'text'],
  ['totp_last_used_step', 'bigInteger'],
  ['totp_enabled_at', 'time'],
  ['email_otp_enabled_at', 'time'],
  ['sms_otp_enabled_at', 'time'],
] as const;
