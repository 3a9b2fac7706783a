import type { Kysely } from 'kysely';
import { AuthError } from '../../../core/errors.js';
import type { AccountPatch, AccountRecord, AccountRepository } from '../../../core/ports.js';
import { searchAccountRows, searchColumns } from './account-search.js';
import { batches, conditionally, transact, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { prepared } from './prepared.js';
import { accountColumns, columnNames, fromRow, toRow } from './mapping.js';

const columns = columnNames(accountColumns);
const EMAIL_TAKEN = 'An account with this email (or id) already exists in the group.';

/**
 * The SQL {@link AccountRepository}. The unique index on `(group_id, email)` makes `create` and a change
 * of email atomic; `delete` removes the account and everything it owns in one transaction;
 * `listDeletedBefore` reads the index on `(status, deleted_at, id)`. `search` reads the
 * derived columns of migration 0008, kept in step with the names and the email here on every write. `claimTotpStep` and `confirmTotp`
 * are each one conditional UPDATE whose WHERE holds the check (`totp_last_used_step < ?`, the pending
 * secret), so of concurrent callers exactly one changes the row (see `conditionally`).
 */
export function createAccountRepository(ctx: StorageContext): AccountRepository {
  const { db, tables, dialect } = ctx;
  // Read on every refresh and sign-in (an authenticated request reads the account with its session).
  const by = {
    id: prepared<[string, string]>(ctx, 'accounts.byId', 2, (q, group, id) =>
      q.selectFrom(tables.accounts).select(columns).where('group_id', '=', group).where('id', '=', id),
    ),
    email: prepared<[string, string]>(ctx, 'accounts.byEmail', 2, (q, group, email) =>
      q.selectFrom(tables.accounts).select(columns).where('group_id', '=', group).where('email', '=', email),
    ),
  };
  const find = async (executor: Kysely<any>, group: string, column: 'id' | 'email', value: string) => {
    const [row] = (await by[column](executor, group, value)).rows;
    return row ? fromRow(accountColumns, row) : null;
  };

  return {
    async create(account: AccountRecord): Promise<void> {
      await conflictOnDuplicate(
        () => db.insertInto(tables.accounts).values({ ...toRow(accountColumns, account), ...searchColumns(account) }).execute(),
        EMAIL_TAKEN,
      );
    },

    findById: (group, id) => find(db, group, 'id', id),
    findByEmail: (group, email) => find(db, group, 'email', email),

    async update(group: string, id: string, patch: AccountPatch): Promise<AccountRecord | null> {
      const values = { ...toRow(accountColumns, patch, ['id', 'group', 'createdAt']), ...searchColumns(patch) };
      if (Object.keys(values).length === 0) return find(db, group, 'id', id);
      const update = (executor: Kysely<any>) =>
        executor.updateTable(tables.accounts).set(values).where('group_id', '=', group).where('id', '=', id);
      return conflictOnDuplicate(async () => {
        if (dialect.returning) {
          const row = await update(db).returning(columns).executeTakeFirst();
          return row ? fromRow(accountColumns, row) : null;
        }
        // Without RETURNING, the read must see this write and no later one: both in one transaction.
        return transact(ctx, async (trx) => {
          await update(trx).execute();
          return find(trx, group, 'id', id);
        });
      }, EMAIL_TAKEN);
    },

    async delete(group: string, id: string): Promise<boolean> {
      return transact(ctx, async (trx) => {
        const { numDeletedRows } = await trx
          .deleteFrom(tables.accounts)
          .where('group_id', '=', group)
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        if (numDeletedRows === 0n) return false;
        // The foreign keys cascade already, except on SQLite without `PRAGMA foreign_keys = ON`: the
        // dependents are deleted explicitly too (by then usually nothing is left, found by index).
        const sessions = await trx
          .selectFrom(tables.sessions)
          .select('id')
          .where('group_id', '=', group)
          .where('account_id', '=', id)
          .execute();
        for (const ids of batches(sessions.map((row) => String(row.id)))) {
          await trx.deleteFrom(tables.refreshTokens).where('group_id', '=', group).where('session_id', 'in', ids).execute();
        }
        const owned = [
          tables.sessions,
          tables.loginAttempts,
          tables.oneTimeTokens,
          tables.recoveryCodes,
          tables.otpCodes,
          tables.webauthnCredentials,
          tables.webauthnChallenges,
        ];
        for (const table of owned) {
          await trx.deleteFrom(table).where('group_id', '=', group).where('account_id', '=', id).execute();
        }
        return true;
      });
    },

    async listDeletedBefore(before: Date, limit: number): Promise<AccountRecord[]> {
      if (!Number.isInteger(limit) || limit < 1) {
        const message = 'The limit must be a positive integer.';
        throw new AuthError('validation_failed', message, { details: [{ path: 'limit', message }] });
      }
      const rows = await db
        .selectFrom(tables.accounts)
        .select(columns)
        .where('status', '=', 'deleted')
        .where('deleted_at', '<', before.getTime())
        .orderBy('deleted_at')
        .orderBy('id')
        .orderBy('group_id')
        .limit(limit)
        .execute();
      return rows.map((row) => fromRow(accountColumns, row));
    },

    search: (group, filter, options) => searchAccountRows(db, tables.accounts, group, filter, options),

    async claimTotpStep(group: string, id: string, step: number): Promise<boolean> {
      const { numUpdatedRows } = await conditionally(ctx, (executor) =>
        executor
          .updateTable(tables.accounts)
          .set(toRow(accountColumns, { totpLastUsedStep: step }))
          .where('group_id', '=', group)
          .where('id', '=', id)
          .where('totp_secret_sealed', 'is not', null)
          .where((eb) => eb.or([eb('totp_last_used_step', 'is', null), eb('totp_last_used_step', '<', step)]))
          .executeTakeFirstOrThrow(),
      );
      return numUpdatedRows === 1n;
    },

    async confirmTotp(group, id, pendingSecretSealed, step, at): Promise<boolean> {
      const confirmed = toRow(accountColumns, {
        totpSecretSealed: pendingSecretSealed,
        totpPendingSecretSealed: null,
        totpLastUsedStep: step,
        totpEnabledAt: at,
        updatedAt: at,
      });
      const { numUpdatedRows } = await conditionally(ctx, (executor) =>
        executor
          .updateTable(tables.accounts)
          .set(confirmed)
          .where('group_id', '=', group)
          .where('id', '=', id)
          .where('totp_pending_secret_sealed', '=', pendingSecretSealed)
          .executeTakeFirstOrThrow(),
      );
      return numUpdatedRows === 1n;
    },
  };
}
