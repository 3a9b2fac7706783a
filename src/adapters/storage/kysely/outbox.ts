import type { Kysely } from 'kysely';
import { AuthError } from '../../../core/errors.js';
import { newId } from '../../../core/lib/ids.js';
import { endpointReceives } from '../../../core/lib/webhook-subscription.js';
import type { OutboxEventRecord, OutboxRepository, WebhookDeliveryRecord } from '../../../core/ports.js';
import { batches, transact, transactRetrying, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, toRow } from './mapping.js';
import { deliveryColumns, endpointColumns, outboxEventColumns } from './webhook-columns.js';

const columns = columnNames(outboxEventColumns);

/**
 * The group's next sequence number: increments the group's row of `<prefix>outbox_sequences` and reads
 * it back in the caller's transaction. The UPDATE's row lock holds other appends to the group until
 * commit, so sequences are distinct and, as a failed append rolls its increment back, consecutive.
 */
async function nextSequence(ctx: StorageContext, trx: Kysely<any>, group: string): Promise<number> {
  const { outboxSequences, groups } = ctx.tables;
  const update = trx
    .updateTable(outboxSequences)
    .set((eb) => ({ last_sequence: eb('last_sequence', '+', 1) }))
    .where('group_id', '=', group);
  // MySQL has no RETURNING: the read in the same transaction sees this write, and the lock keeps others out.
  const row = ctx.dialect.returning
    ? await update.returning('last_sequence').executeTakeFirst()
    : (await update.execute(),
      await trx.selectFrom(outboxSequences).select('last_sequence').where('group_id', '=', group).executeTakeFirst());
  if (row) return Number(row.last_sequence);
  // A group created before migration 0012 by an instance still running the previous version.
  if (!(await trx.selectFrom(groups).select('id').where('id', '=', group).executeTakeFirst())) {
    throw new AuthError('not_found', 'No group with this id.');
  }
  await trx.insertInto(outboxSequences).values({ group_id: group, last_sequence: 1 }).execute();
  return 1;
}

/**
 * The SQL {@link OutboxRepository} on `<prefix>outbox_events` (migration 0012). `append` is one
 * transaction (inline in `Storage.transaction`): the group's sequence, the event, and a pending
 * delivery for each enabled endpoint of the group subscribed to the event. `purge` removes only
 * deliveries that are not pending, and an event only once none of its deliveries is left.
 */
export function createOutboxRepository(ctx: StorageContext): OutboxRepository {
  const { db, tables } = ctx;
  return {
    async append(input): Promise<OutboxEventRecord> {
      return conflictOnDuplicate(
        () =>
          transactRetrying(ctx, async (trx) => {
            const event: OutboxEventRecord = { ...input, sequence: await nextSequence(ctx, trx, input.group) };
            await trx.insertInto(tables.outboxEvents).values(toRow(outboxEventColumns, event)).execute();
            const endpoints = await trx
              .selectFrom(tables.webhookEndpoints)
              .select(columnNames(endpointColumns))
              .where('group_id', '=', event.group)
              .where('disabled_at', 'is', null)
              .orderBy('id')
              .execute();
            const deliveries = endpoints
              .map((row) => fromRow(endpointColumns, row))
              .filter((endpoint) => endpointReceives(endpoint.events, event.event))
              .map((endpoint): WebhookDeliveryRecord => pendingDelivery(event, endpoint.id));
            for (const batch of batches(deliveries, 100)) {
              await trx.insertInto(tables.webhookDeliveries).values(batch.map((d) => toRow(deliveryColumns, d))).execute();
            }
            return event;
          }),
        'An event with this id already exists in the group.',
      );
    },

    async list(group, options): Promise<OutboxEventRecord[]> {
      let query = db
        .selectFrom(tables.outboxEvents)
        .select(columns)
        .where('group_id', '=', group)
        .where('sequence', '>', options.after);
      if (options.event !== undefined) query = query.where('event', '=', options.event);
      const rows = await query.orderBy('sequence', 'asc').limit(options.limit).execute();
      return rows.map((row) => fromRow(outboxEventColumns, row));
    },

    async find(group, id): Promise<OutboxEventRecord | null> {
      const row = await db
        .selectFrom(tables.outboxEvents)
        .select(columns)
        .where('group_id', '=', group)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? fromRow(outboxEventColumns, row) : null;
    },

    async purge(before, limit): Promise<number> {
      return transact(ctx, async (trx) => {
        const { outboxEvents, webhookDeliveries, webhookAttempts } = tables;
        const candidates = await trx
          .selectFrom(outboxEvents)
          .select(['group_id', 'id'])
          .where('occurred_at', '<', before.getTime())
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom(webhookDeliveries)
                  .select('id')
                  .whereRef(`${webhookDeliveries}.group_id`, '=', `${outboxEvents}.group_id`)
                  .whereRef(`${webhookDeliveries}.event_id`, '=', `${outboxEvents}.id`)
                  .where(`${webhookDeliveries}.status`, '=', 'pending'),
              ),
            ),
          )
          .orderBy('occurred_at')
          .limit(limit)
          .execute();
        if (candidates.length === 0) return 0;
        const keys = candidates.map((row) => [String(row.group_id), String(row.id)] as const);
        // A delivery made pending again (a retry) meanwhile stays, and so does its event.
        const finished = trx
          .selectFrom(webhookDeliveries)
          .select(['group_id', 'id'])
          .where((eb) => eb(eb.refTuple('group_id', 'event_id'), 'in', keys.map(([g, e]) => eb.tuple(g, e))))
          .where('status', '!=', 'pending');
        await trx
          .deleteFrom(webhookAttempts)
          .where((eb) => eb(eb.refTuple('group_id', 'delivery_id'), 'in', finished))
          .execute();
        await trx
          .deleteFrom(webhookDeliveries)
          .where((eb) => eb(eb.refTuple('group_id', 'event_id'), 'in', keys.map(([g, e]) => eb.tuple(g, e))))
          .where('status', '!=', 'pending')
          .execute();
        const { numDeletedRows } = await trx
          .deleteFrom(outboxEvents)
          .where((eb) => eb(eb.refTuple('group_id', 'id'), 'in', keys.map(([g, e]) => eb.tuple(g, e))))
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom(webhookDeliveries)
                  .select('id')
                  .whereRef(`${webhookDeliveries}.group_id`, '=', `${outboxEvents}.group_id`)
                  .whereRef(`${webhookDeliveries}.event_id`, '=', `${outboxEvents}.id`),
              ),
            ),
          )
          .executeTakeFirst();
        return Number(numDeletedRows);
      });
    },
  };
}

/** The first delivery of `event` to an endpoint: pending, due when the event happened. */
export function pendingDelivery(event: OutboxEventRecord, endpointId: string): WebhookDeliveryRecord {
  return {
    id: newId('whd', event.occurredAt),
    group: event.group,
    endpointId,
    eventId: event.id,
    event: event.event,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: event.occurredAt,
    lastAttemptAt: null,
    lastResponseStatus: null,
    lastError: null,
    createdAt: event.occurredAt,
  };
}
