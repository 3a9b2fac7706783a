import type { AuditDetails, AuditLogRecord, AuditLogRepository, Page } from '../../../core/ports.js';
import { assertPageLimit, decodePageCursor, encodePageCursor } from '../../../core/lib/page-cursor.js';
import { recoverable, type StorageContext } from './context.js';
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
 * on `(occurred_at, id)`, newest first, served by the index `(group_id, occurred_at, id)`; `purge` ranges
 * over the index on `occurred_at`.
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

    async purge(before: Date): Promise<number> {
      const { numDeletedRows } = await db
        .deleteFrom(tables.auditLog)
        .where('occurred_at', '<', before.getTime())
        .executeTakeFirst();
      return Number(numDeletedRows);
    },
  };
}
