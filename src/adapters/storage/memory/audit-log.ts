import { AuthError } from '../../../core/errors.js';
import type { AuditLogRecord, AuditLogRepository, Page } from '../../../core/ports.js';
import { assertPageLimit, decodePageCursor, encodePageCursor, type PageCursor } from '../../../core/lib/page-cursor.js';
import { copy, type MemoryState, scopedKey } from './state.js';

/** Newest first: time descending, then id descending so that entries of one millisecond keep an order. */
function newestFirst(a: PageCursor, b: PageCursor): number {
  if (a.t !== b.t) return b.t - a.t;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const position = (entry: AuditLogRecord): PageCursor => ({ t: entry.time.getTime(), id: entry.id });

/**
 * The in-memory {@link AuditLogRepository}, keyset-paginated on `(time, id)` like the login history.
 * Deleting an account leaves the entries that name it; only removing the whole group (`groups.delete`)
 * removes the group's entries.
 */
export function createAuditLogRepository(state: MemoryState): AuditLogRepository {
  const entries = state.auditEntries;
  return {
    async record(entry: AuditLogRecord): Promise<void> {
      const key = scopedKey(entry.group, entry.id);
      if (entries.has(key)) throw new AuthError('conflict', 'An audit entry with this id already exists in the group.');
      entries.set(key, copy(entry));
    },

    async list(group, options): Promise<Page<AuditLogRecord>> {
      const { limit, cursor } = options;
      assertPageLimit(limit);
      const after = cursor === undefined || cursor === null ? null : decodePageCursor(cursor);
      const matching = [...entries.values()]
        .filter((e) => e.group === group && (after === null || newestFirst(after, position(e)) < 0))
        .sort((a, b) => newestFirst(position(a), position(b)));
      const data = matching.slice(0, limit);
      const last = data[data.length - 1];
      return { data: data.map(copy), nextCursor: matching.length > limit && last ? encodePageCursor(last) : null };
    },

    async purge(before: Date, limit: number): Promise<number> {
      let removed = 0;
      for (const [key, entry] of entries) {
        if (removed >= limit) break;
        if (entry.time.getTime() < before.getTime()) {
          entries.delete(key);
          removed += 1;
        }
      }
      return removed;
    },
  };
}
