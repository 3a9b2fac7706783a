import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { assertPageLimit, decodePageCursor, encodePageCursor } from '../../../core/lib/page-cursor.js';
import type {
  ClaimedDelivery,
  OutboxEventRecord,
  Page,
  WebhookAttemptRecord,
  WebhookDeliveryRecord,
  WebhookDeliveryRepository,
} from '../../../core/ports.js';
import { transact, transactRetrying, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, type Row, toRow } from './mapping.js';
import { attemptColumns, deliveryColumns, outboxEventColumns } from './webhook-columns.js';

const columns = columnNames(deliveryColumns);

type Key = readonly [group: string, id: string];

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The SQL {@link WebhookDeliveryRepository} on `<prefix>webhook_deliveries` and `<prefix>webhook_attempts`
 * (migration 0012).
 *
 * `claimDue` holds deliveries with a lease (`lease_owner`, `lease_expires_at`). On PostgreSQL and
 * MySQL/MariaDB (10.6 or later) it is one transaction: `SELECT … FOR UPDATE SKIP LOCKED` of the due
 * deliveries whose lease is free or expired (from the index `(status, next_attempt_at)`), then an
 * UPDATE of their lease; concurrent dispatchers skip each other's rows instead of waiting. On MySQL the
 * locking read takes its candidates by key from a plain read first (see the comment in `claimDue`). SQLite
 * serialises writers, so there it is one `UPDATE … WHERE (group_id, id) IN (SELECT … LIMIT n) RETURNING`.
 * Due deliveries are taken earliest `nextAttemptAt` first (then by group and id), which for a first
 * attempt is the event's time.
 * A delivery whose event is not in the outbox is never taken (there would be nothing to send).
 *
 * `complete` is one transaction: an UPDATE conditional on `lease_owner = owner` and `status = 'pending'`
 * (a dispatcher that lost its lease to another changes nothing), and only then the attempt's INSERT.
 */
export function createWebhookDeliveryRepository(ctx: StorageContext): WebhookDeliveryRepository {
  const { db, tables, dialect } = ctx;
  const { webhookDeliveries: deliveries, webhookEndpoints: endpoints, outboxEvents: events } = tables;

  const find = async (executor: Kysely<any>, group: string, id: string, endpointId?: string): Promise<WebhookDeliveryRecord | null> => {
    let query = executor.selectFrom(deliveries).select(columns).where('group_id', '=', group).where('id', '=', id);
    if (endpointId !== undefined) query = query.where('endpoint_id', '=', endpointId);
    const row = await query.executeTakeFirst();
    return row ? fromRow(deliveryColumns, row) : null;
  };

  /**
   * Due, lease free or expired, endpoint enabled, event stored. The last two are scalar subqueries by
   * primary key, not EXISTS: MariaDB turns EXISTS into a semi-join that may start from the endpoints and
   * sort, and a sort locks every due row (see `claimDue`).
   */
  const claimable = (now: number) => (eb: ExpressionBuilder<any, any>) =>
    eb.and([
      eb(`${deliveries}.status`, '=', 'pending'),
      eb(`${deliveries}.next_attempt_at`, '<=', now),
      eb.or([eb(`${deliveries}.lease_expires_at`, 'is', null), eb(`${deliveries}.lease_expires_at`, '<=', now)]),
      eb(
        eb
          .selectFrom(endpoints)
          .select(sql.lit(1).as('enabled'))
          .whereRef(`${endpoints}.group_id`, '=', `${deliveries}.group_id`)
          .whereRef(`${endpoints}.id`, '=', `${deliveries}.endpoint_id`)
          .where(`${endpoints}.disabled_at`, 'is', null),
        '=',
        1,
      ),
      eb(
        eb
          .selectFrom(events)
          .select(sql.lit(1).as('stored'))
          .whereRef(`${events}.group_id`, '=', `${deliveries}.group_id`)
          .whereRef(`${events}.id`, '=', `${deliveries}.event_id`),
        '=',
        1,
      ),
    ]);

  const inKeys = (keys: Key[], columns: [string, string]) => (eb: ExpressionBuilder<any, any>) =>
    eb(eb.refTuple(columns[0], columns[1]), 'in', keys.map(([group, id]) => eb.tuple(group, id)));

  /** The claimed rows with their events, in the order they were due. */
  const withEvents = async (executor: Kysely<any>, rows: Row[]): Promise<ClaimedDelivery[]> => {
    if (rows.length === 0) return [];
    const claimed = rows.map((row) => fromRow(deliveryColumns, row));
    const eventKeys = claimed.map((d): Key => [d.group, d.eventId]);
    const eventRows = await executor
      .selectFrom(events)
      .select(columnNames(outboxEventColumns))
      .where(inKeys(eventKeys, ['group_id', 'id']))
      .execute();
    const byKey = new Map<string, OutboxEventRecord>();
    for (const row of eventRows) {
      const event = fromRow(outboxEventColumns, row);
      byKey.set(JSON.stringify([event.group, event.id]), event);
    }
    return claimed
      .sort((a, b) => a.nextAttemptAt!.getTime() - b.nextAttemptAt!.getTime() || byText(a.group, b.group) || byText(a.id, b.id))
      .map((delivery) => ({ delivery, event: byKey.get(JSON.stringify([delivery.group, delivery.eventId]))! }));
  };

  return {
    async claimDue(now, options): Promise<ClaimedDelivery[]> {
      const { owner, leaseSeconds, limit } = options;
      assertPageLimit(limit);
      const nowMs = now.getTime();
      const held = { lease_owner: owner, lease_expires_at: nowMs + Math.round(leaseSeconds * 1000) };
      const lease = async (trx: Kysely<any>, picked: Row[]): Promise<ClaimedDelivery[]> => {
        if (picked.length === 0) return [];
        const keys = picked.map((row): Key => [String(row.group_id), String(row.id)]);
        await trx.updateTable(deliveries).set(held).where(inKeys(keys, ['group_id', 'id'])).execute();
        const rows = await trx.selectFrom(deliveries).select(columns).where(inKeys(keys, ['group_id', 'id'])).execute();
        return withEvents(trx, rows);
      };
      const due = (executor: Kysely<any>) =>
        executor
          .selectFrom(deliveries)
          .select([`${deliveries}.group_id`, `${deliveries}.id`])
          .where(claimable(nowMs))
          // The order of the index `(status, next_attempt_at)` with InnoDB's implicit primary key
          // suffix: MySQL reads the due rows in order and stops at the limit, locking no more rows
          // than it takes (a sort would lock every due row and leave the other dispatchers nothing).
          .orderBy(`${deliveries}.next_attempt_at`)
          .orderBy(`${deliveries}.group_id`)
          .orderBy(`${deliveries}.id`)
          .limit(limit);

      if (dialect.name === 'sqlite') {
        return transact(ctx, async (trx) => {
          const rows = await trx
            .updateTable(deliveries)
            .set(held)
            .where((eb) => eb(eb.refTuple('group_id', 'id'), 'in', due(trx)))
            .returning(columns)
            .execute();
          return withEvents(trx, rows);
        });
      }
      if (dialect.name === 'postgres') {
        return transactRetrying(ctx, async (trx) => lease(trx, await due(trx).forUpdate().skipLocked().execute()));
      }
      // MariaDB locks the rows its subqueries read too (the one endpoint and event that many deliveries
      // share), so there the locking read names candidates by key and reads only the deliveries table.
      // The candidates come from a plain read, several times the limit, so that concurrent dispatchers
      // starting from the same candidates still find rows the others have not locked. At READ COMMITTED,
      // so that the plain read takes no locks even when the app made SERIALIZABLE the default.
      return transactRetrying(
        ctx,
        async (trx) => {
          const candidates = await due(trx).limit(limit * 4 + 16).execute();
          if (candidates.length === 0) return [];
          const keys = candidates.map((row): Key => [String(row.group_id), String(row.id)]);
          const picked = await trx
            .selectFrom(deliveries)
            .select(['group_id', 'id'])
            .where(inKeys(keys, ['group_id', 'id']))
            .where('status', '=', 'pending')
            .where('next_attempt_at', '<=', nowMs)
            .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', nowMs)]))
            .orderBy('next_attempt_at')
            .orderBy('group_id')
            .orderBy('id')
            .limit(limit)
            .forUpdate()
            .skipLocked()
            .execute();
          return lease(trx, picked);
        },
        { readCommitted: 'mysql too' },
      );
    },


    async complete(group, id, owner, outcome): Promise<boolean> {
      const { attempt, status, nextAttemptAt } = outcome;
      return conflictOnDuplicate(
        () =>
          transact(ctx, async (trx) => {
            const { numUpdatedRows } = await trx
              .updateTable(deliveries)
              .set((eb) => ({
                ...toRow(deliveryColumns, {
                  status,
                  nextAttemptAt,
                  lastAttemptAt: attempt.attemptedAt,
                  lastResponseStatus: attempt.responseStatus,
                  lastError: attempt.error,
                }),
                attempts: eb('attempts', '+', 1),
                lease_owner: null,
                lease_expires_at: null,
              }))
              .where('group_id', '=', group)
              .where('id', '=', id)
              .where('lease_owner', '=', owner)
              .where('status', '=', 'pending')
              .executeTakeFirst();
            if (numUpdatedRows !== 1n) return false;
            await trx
              .insertInto(tables.webhookAttempts)
              .values(toRow(attemptColumns, { ...attempt, group, deliveryId: id }))
              .execute();
            return true;
          }),
        'A webhook attempt with this id already exists in the group.',
      );
    },

    find: (group, endpointId, id) => find(db, group, id, endpointId),

    async list(group, endpointId, options): Promise<Page<WebhookDeliveryRecord>> {
      const { limit, cursor, status } = options;
      assertPageLimit(limit);
      const after = cursor === undefined || cursor === null ? null : decodePageCursor(cursor);
      let query = db.selectFrom(deliveries).select(columns).where('group_id', '=', group).where('endpoint_id', '=', endpointId);
      if (status !== undefined) query = query.where('status', '=', status);
      if (after) {
        // `(created_at, id) < (after.t, after.id)`, spelt so that every dialect ranges over the index.
        query = query
          .where('created_at', '<=', after.t)
          .where((eb) => eb.or([eb('created_at', '<', after.t), eb('id', '<', after.id)]));
      }
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const data = rows.slice(0, limit).map((row) => fromRow(deliveryColumns, row));
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > limit && last ? encodePageCursor({ time: last.createdAt, id: last.id }) : null };
    },

    async listAttempts(group, deliveryId): Promise<WebhookAttemptRecord[]> {
      const rows = await db
        .selectFrom(tables.webhookAttempts)
        .select(columnNames(attemptColumns))
        .where('group_id', '=', group)
        .where('delivery_id', '=', deliveryId)
        .orderBy('attempted_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map((row) => fromRow(attemptColumns, row));
    },

    async create(delivery): Promise<void> {
      await conflictOnDuplicate(
        () => db.insertInto(deliveries).values(toRow(deliveryColumns, delivery)).execute(),
        'A webhook delivery with this id already exists in the group.',
      );
    },

    async retry(group, endpointId, id, now): Promise<WebhookDeliveryRecord | null> {
      // The lease stays: a dispatcher still holding the delivery can record its attempt, and no other
      // dispatcher takes it before that or before the lease expires.
      const update = (executor: Kysely<any>) =>
        executor
          .updateTable(deliveries)
          .set(toRow(deliveryColumns, { status: 'pending', nextAttemptAt: now }))
          .where('group_id', '=', group)
          .where('endpoint_id', '=', endpointId)
          .where('id', '=', id);
      if (dialect.returning) {
        const row = await update(db).returning(columns).executeTakeFirst();
        return row ? fromRow(deliveryColumns, row) : null;
      }
      return transact(ctx, async (trx) => {
        await update(trx).execute();
        return find(trx, group, id, endpointId);
      });
    },
  };
}
