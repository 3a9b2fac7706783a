import { decodeIdCursor, encodeIdCursor } from '../../../core/lib/id-cursor.js';
import { assertPageLimit } from '../../../core/lib/page-cursor.js';
import type { GroupRecord, GroupRepository, Page } from '../../../core/ports.js';
import { transact, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, groupColumns, toRow } from './mapping.js';

const columns = columnNames(groupColumns);

/**
 * The SQL {@link GroupRepository}: `create` is one transaction (the group and its outbox sequence row),
 * atomic through the group's primary key; `delete`
 * locks the group's row first, which a concurrent account INSERT (a foreign key to it) waits for.
 */
export function createGroupRepository(ctx: StorageContext): GroupRepository {
  const { db, tables, dialect } = ctx;
  const find = async (id: string): Promise<GroupRecord | null> => {
    const row = await db.selectFrom(tables.groups).select(columns).where('id', '=', id).executeTakeFirst();
    return row ? fromRow(groupColumns, row) : null;
  };

  return {
    find,

    async create(group: GroupRecord): Promise<void> {
      await conflictOnDuplicate(
        () =>
          transact(ctx, async (trx) => {
            await trx.insertInto(tables.groups).values(toRow(groupColumns, group)).execute();
            await trx.insertInto(tables.outboxSequences).values({ group_id: group.id, last_sequence: 0 }).execute();
          }),
        'A group with this id already exists.',
      );
    },

    async update(id, patch): Promise<GroupRecord | null> {
      const values = toRow(groupColumns, patch, ['id', 'createdAt']);
      if (Object.keys(values).length === 0) return find(id);
      const update = (executor = db) => executor.updateTable(tables.groups).set(values).where('id', '=', id);
      if (dialect.returning) {
        const row = await update().returning(columns).executeTakeFirst();
        return row ? fromRow(groupColumns, row) : null;
      }
      // Without RETURNING, the read must see this write and no later one: both in one transaction.
      return transact(ctx, async (trx) => {
        await update(trx).execute();
        const row = await trx.selectFrom(tables.groups).select(columns).where('id', '=', id).executeTakeFirst();
        return row ? fromRow(groupColumns, row) : null;
      });
    },

    async list(options): Promise<Page<GroupRecord>> {
      const { limit, cursor } = options;
      assertPageLimit(limit);
      let query = db.selectFrom(tables.groups).select(columns);
      if (cursor !== undefined && cursor !== null) query = query.where('id', '>', decodeIdCursor(cursor));
      const rows = await query.orderBy('id', 'asc').limit(limit + 1).execute();
      const data = rows.slice(0, limit).map((row) => fromRow(groupColumns, row));
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > limit && last ? encodeIdCursor(last.id) : null };
    },

    async delete(id: string): Promise<'deleted' | 'not_empty' | 'not_found'> {
      return transact(ctx, async (trx) => {
        const select = trx.selectFrom(tables.groups).select('id').where('id', '=', id);
        // The row lock conflicts with the key-share lock an account INSERT takes on its group: an
        // account created meanwhile is either committed (and seen below) or waits, then fails its
        // foreign key. SQLite runs one transaction at a time.
        const locked = dialect.name === 'sqlite' ? select : select.forUpdate();
        if (!(await locked.executeTakeFirst())) return 'not_found';
        const account = await trx.selectFrom(tables.accounts).select('id').where('group_id', '=', id).limit(1).executeTakeFirst();
        if (account) return 'not_empty';
        // What outlives a group's accounts; the foreign keys would cascade most of it, except on SQLite
        // without `PRAGMA foreign_keys = ON`, and rows that name no account have none.
        // Attempts before their deliveries before their endpoints: the children's foreign keys.
        const webhooks = [tables.webhookAttempts, tables.webhookDeliveries, tables.webhookEndpoints, tables.outboxEvents, tables.outboxSequences];
        for (const table of [tables.loginAttempts, tables.webauthnChallenges, tables.signingKeys, tables.auditLog, ...webhooks]) {
          await trx.deleteFrom(table).where('group_id', '=', id).execute();
        }
        await trx.deleteFrom(tables.groups).where('id', '=', id).execute();
        return 'deleted';
      });
    },
  };
}
