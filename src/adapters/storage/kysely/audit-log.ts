import type { AuditDetails, AuditLogRecord, AuditLogRepository, Page } from '../../../core/ports.js';
import { assertPageLimit, decodePageCursor, encodePageCursor } from '../../../core/lib/page-cursor.js';
import { batches, recoverable, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { type ColumnMap, columnNames, fromRow, type Row, toRow } from './mapping.js';

/** Every field but `details`, which is JSON in text (see {@link toAuditRow}). */
const auditColumns: ColumnMap<Omit<AuditLogRecord, 'details'>> = {
  id: ['id', 'text'],
  group: ['group_id', 'text'],
  time: ['occurred_at', 'time'],
  actorId: ['actor_id', 'text'],
  actorIp: ['actor_ip', 'text'],
  action: ['action', 'text'],
  targetType: ['target_type', 'text'],
  targetId: ['target_id', 'text'],
};
const columns = [...columnNames(auditColumns), 'details'];

function toAuditRow({ details, ...rest }: AuditLogRecord): Row {
  return { ...toRow(auditColumns, rest), details: details === null ? null : JSON.stringify(details) };
}

function fromAuditRow(row: Row): AuditLogRecord {
  const { details } = row;
  // mysql2 hands text of a binary collation back as a Buffer.
  const json = details === null || details === undefined ? null : Buffer.isBuffer(details) ? details.toString('utf8') : String(details);
  return { ...fromRow(auditColumns, row), details: json === null ? null : (JSON.parse(json) as AuditDetails) };
}

/**
 * The SQL {@link AuditLogRepository} on `<prefix>audit_log` (migration 0007). Pages are keyset-paginated
 * on `(occurred_at, id)`, newest first, served by the index `(group_id, occurred_at, id)`; `purge` reads
 * at most `limit` keys, oldest first, from the index on `occurred_at`, and deletes them in slices.
 */
export function createAuditLogRepository(ctx: StorageContext): AuditLogRepository {
  const { db, tables } = ctx;
  return {
    async record(entry: AuditLogRecord): Promise<void> {
      await conflictOnDuplicate(
        () => recoverable(ctx, (executor) => executor.insertInto(tables.auditLog).values(toAuditRow(entry)).execute()),
        'An audit entry with this id already exists in the group.',
      );
    },

    async list(group, options): Promise<Page<AuditLogRecord>> {
      const { limit, cursor } = options;
      assertPageLimit(limit);
      const after = cursor === undefined || cursor === null ? null : decodePageCursor(cursor);
      let query = db.selectFrom(tables.auditLog).select(columns).where('group_id', '=', group);
      if (after) {
        // `(t, id) < (after.t, after.id)`, spelt so that every dialect ranges over the index on time.
        query = query
          .where('occurred_at', '<=', after.t)
          .where((eb) => eb.or([eb('occurred_at', '<', after.t), eb('id', '<', after.id)]));
      }
      const rows = await query.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const data = rows.slice(0, limit).map(fromAuditRow);
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
    },

    async purge(before: Date, limit: number): Promise<number> {
      if (limit < 1) return 0;
      // DELETE … LIMIT is not portable (PostgreSQL has none): the oldest keys first, then DELETEs of
      // at most 500 of them each, the age repeated so that an entry another purge removed meanwhile
      // is not counted twice. Each DELETE commits on its own: no transaction spans the batch.
      const keys = await db
        .selectFrom(tables.auditLog)
        .select(['group_id', 'id'])
        .where('occurred_at', '<', before.getTime())
        .orderBy('occurred_at')
        .limit(limit)
        .execute();
      let removed = 0;
      for (const batch of batches(keys)) {
        const { numDeletedRows } = await db
          .deleteFrom(tables.auditLog)
          .where('occurred_at', '<', before.getTime())
          .where(({ eb, refTuple, tuple }) =>
            eb(refTuple('group_id', 'id'), 'in', batch.map((key) => tuple(String(key.group_id), String(key.id)))),
          )
          .executeTakeFirst();
        removed += Number(numDeletedRows);
      }
      return removed;
    },
  };
}
