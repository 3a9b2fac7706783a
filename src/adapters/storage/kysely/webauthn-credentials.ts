import type { Kysely } from 'kysely';
import { hashToken } from '../../../core/lib/token-hash.js';
import type { WebAuthnCredentialRecord, WebAuthnCredentialRepository } from '../../../core/ports.js';
import { conditionally, transact, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, toRow, webauthnCredentialColumns } from './mapping.js';

const columns = columnNames(webauthnCredentialColumns);

/**
 * The SQL {@link WebAuthnCredentialRepository}.
 *
 * Rows are keyed by `(group_id, id_hash)`, the SHA-256 of the credential id: ids may be longer than a
 * MySQL index can hold (see migration 0004). Every lookup by id goes through the hash, so the primary
 * key makes `create` unique per group. `rename` and `delete` also match `account_id`, so they touch only
 * the owner's passkey; `deleteAllForAccount` is one DELETE on the index `(group_id, account_id, …)`.
 * `recordUse` is one conditional UPDATE (`… AND counter = ?`): of concurrent callers exactly one changes
 * the row (see `conditionally`). On MySQL the count is of matched rows (mysql2's default `FOUND_ROWS`
 * flag), so a use that leaves the row as it was still counts.
 */
export function createWebAuthnCredentialRepository(ctx: StorageContext): WebAuthnCredentialRepository {
  const { db, tables, dialect } = ctx;
  const find = async (executor: Kysely<any>, group: string, id: string, accountId?: string) => {
    let query = executor
      .selectFrom(tables.webauthnCredentials)
      .select(columns)
      .where('group_id', '=', group)
      .where('id_hash', '=', hashToken(id));
    if (accountId !== undefined) query = query.where('account_id', '=', accountId);
    const row = await query.executeTakeFirst();
    return row ? fromRow(webauthnCredentialColumns, row) : null;
  };

  return {
    async create(credential: WebAuthnCredentialRecord): Promise<void> {
      const row = { ...toRow(webauthnCredentialColumns, credential), id_hash: hashToken(credential.id) };
      await conflictOnDuplicate(
        () => db.insertInto(tables.webauthnCredentials).values(row).execute(),
        'A passkey with this credential id already exists in the group.',
      );
    },

    findById: (group, id) => find(db, group, id),

    async listByAccount(group: string, accountId: string): Promise<WebAuthnCredentialRecord[]> {
      const rows = await db
        .selectFrom(tables.webauthnCredentials)
        .select(columns)
        .where('group_id', '=', group)
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((row) => fromRow(webauthnCredentialColumns, row));
    },

    async rename(group: string, accountId: string, id: string, name: string): Promise<WebAuthnCredentialRecord | null> {
      const update = (executor: Kysely<any>) =>
        executor
          .updateTable(tables.webauthnCredentials)
          .set(toRow(webauthnCredentialColumns, { name }))
          .where('group_id', '=', group)
          .where('id_hash', '=', hashToken(id))
          .where('account_id', '=', accountId);
      if (dialect.returning) {
        const row = await update(db).returning(columns).executeTakeFirst();
        return row ? fromRow(webauthnCredentialColumns, row) : null;
      }
      // Without RETURNING, the read must see this write and no later one: both in one transaction.
      return transact(ctx, async (trx) => {
        await update(trx).execute();
        return find(trx, group, id, accountId);
      });
    },

    async delete(group: string, accountId: string, id: string): Promise<boolean> {
      const { numDeletedRows } = await db
        .deleteFrom(tables.webauthnCredentials)
        .where('group_id', '=', group)
        .where('id_hash', '=', hashToken(id))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow();
      return numDeletedRows === 1n;
    },

    async deleteAllForAccount(group: string, accountId: string): Promise<number> {
      const { numDeletedRows } = await db
        .deleteFrom(tables.webauthnCredentials)
        .where('group_id', '=', group)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return Number(numDeletedRows);
    },

    async recordUse(group: string, id: string, expected: number, next: number, at: Date): Promise<boolean> {
      const { numUpdatedRows } = await conditionally(ctx, (executor) =>
        executor
          .updateTable(tables.webauthnCredentials)
          .set(toRow(webauthnCredentialColumns, { counter: next, lastUsedAt: at }))
          .where('group_id', '=', group)
          .where('id_hash', '=', hashToken(id))
          .where('counter', '=', expected)
          .executeTakeFirstOrThrow(),
      );
      return numUpdatedRows === 1n;
    },
  };
}
