import { AuthError } from '../../../core/errors.js';
import { decodeIdCursor, encodeIdCursor } from '../../../core/lib/id-cursor.js';
import { assertPageLimit } from '../../../core/lib/page-cursor.js';
import type { Page, WebhookEndpointRecord, WebhookEndpointRepository } from '../../../core/ports.js';
import { conditionally, transact, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, toRow } from './mapping.js';
import { endpointColumns } from './webhook-columns.js';

const columns = columnNames(endpointColumns);

/**
 * The SQL {@link WebhookEndpointRepository} on `<prefix>webhook_endpoints` (migration 0012). Pages are
 * keyset-paginated on the id (the primary key `(group_id, id)` serves them); `delete` removes the
 * endpoint's attempts, deliveries and the endpoint in one transaction (the foreign keys would cascade,
 * except on SQLite without `PRAGMA foreign_keys = ON`).
 */
export function createWebhookEndpointRepository(ctx: StorageContext): WebhookEndpointRepository {
  const { db, tables, dialect } = ctx;
  const find = async (group: string, id: string, executor = db): Promise<WebhookEndpointRecord | null> => {
    const row = await executor
      .selectFrom(tables.webhookEndpoints)
      .select(columns)
      .where('group_id', '=', group)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(endpointColumns, row) : null;
  };

  return {
    find: (group, id) => find(group, id),

    async create(endpoint, { limit = Infinity } = {}): Promise<void> {
      await transact(ctx, async (trx) => {
        // The group's row, locked, serialises creations in the group: the count below stays true until
        // the insert commits. SQLite runs one transaction at a time.
        const group = trx.selectFrom(tables.groups).select('id').where('id', '=', endpoint.group);
        await (dialect.name === 'sqlite' ? group : group.forUpdate()).execute();
        const { held } = await trx
          .selectFrom(tables.webhookEndpoints)
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('held'))
          .where('group_id', '=', endpoint.group)
          .executeTakeFirstOrThrow();
        if (Number(held) >= limit) throw new AuthError('conflict', `A group can have at most ${limit} webhook endpoints.`);
        await conflictOnDuplicate(
          () => trx.insertInto(tables.webhookEndpoints).values(toRow(endpointColumns, endpoint)).execute(),
          'A webhook endpoint with this id already exists in the group.',
        );
      });
    },

    async list(group, options): Promise<Page<WebhookEndpointRecord>> {
      const { limit, cursor } = options;
      assertPageLimit(limit);
      let query = db.selectFrom(tables.webhookEndpoints).select(columns).where('group_id', '=', group);
      if (cursor !== undefined && cursor !== null) query = query.where('id', '>', decodeIdCursor(cursor));
      const rows = await query.orderBy('id', 'asc').limit(limit + 1).execute();
      const data = rows.slice(0, limit).map((row) => fromRow(endpointColumns, row));
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > limit && last ? encodeIdCursor(last.id) : null };
    },

    async update(group, id, patch): Promise<WebhookEndpointRecord | null> {
      const values = toRow(endpointColumns, patch, ['id', 'group', 'createdAt']);
      if (Object.keys(values).length === 0) return find(group, id);
      const update = (executor = db) =>
        executor.updateTable(tables.webhookEndpoints).set(values).where('group_id', '=', group).where('id', '=', id);
      if (dialect.returning) {
        const row = await update().returning(columns).executeTakeFirst();
        return row ? fromRow(endpointColumns, row) : null;
      }
      // Without RETURNING, the read must see this write and no later one: both in one transaction.
      return transact(ctx, async (trx) => {
        await update(trx).execute();
        return find(group, id, trx);
      });
    },

    async rotateSecret(group, id, rotation): Promise<WebhookEndpointRecord | null> {
      // One UPDATE: every dialect reads `secret_sealed` on the right as it was before this statement
      // (MySQL assigns left to right, so the previous secret is set first).
      const values = toRow(endpointColumns, rotation, ['id', 'group', 'createdAt']);
      const { secret_sealed: secretSealed, ...rest } = values;
      const update = (executor = db) =>
        executor
          .updateTable(tables.webhookEndpoints)
          .set((eb) => ({ previous_secret_sealed: eb.ref('secret_sealed'), secret_sealed: secretSealed, ...rest }))
          .where('group_id', '=', group)
          .where('id', '=', id);
      if (dialect.returning) {
        // At READ COMMITTED on PostgreSQL: a concurrent rotation waits, then builds on this one.
        const row = await conditionally(ctx, (executor) => update(executor).returning(columns).executeTakeFirst());
        return row ? fromRow(endpointColumns, row) : null;
      }
      return transact(ctx, async (trx) => {
        await update(trx).execute();
        return find(group, id, trx);
      });
    },

    async delete(group, id): Promise<boolean> {
      return transact(ctx, async (trx) => {
        const deliveries = trx
          .selectFrom(tables.webhookDeliveries)
          .select(['group_id', 'id'])
          .where('group_id', '=', group)
          .where('endpoint_id', '=', id);
        await trx
          .deleteFrom(tables.webhookAttempts)
          .where((eb) => eb(eb.refTuple('group_id', 'delivery_id'), 'in', deliveries))
          .execute();
        await trx.deleteFrom(tables.webhookDeliveries).where('group_id', '=', group).where('endpoint_id', '=', id).execute();
        const { numDeletedRows } = await trx
          .deleteFrom(tables.webhookEndpoints)
          .where('group_id', '=', group)
          .where('id', '=', id)
          .executeTakeFirst();
        return numDeletedRows === 1n;
      });
    },
  };
}
