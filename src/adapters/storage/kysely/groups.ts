import type { GroupRecord, GroupRepository } from '../../../core/ports.js';
import { transact, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, groupColumns, toRow } from './mapping.js';

const columns = columnNames(groupColumns);

/** The SQL {@link GroupRepository}: `create` is one INSERT, atomic through the primary key. */
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
        () => db.insertInto(tables.groups).values(toRow(groupColumns, group)).execute(),
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
  };
}
