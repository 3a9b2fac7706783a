import { AuthError } from '../../../core/errors.js';
import type { LoginAttemptRecord, LoginAttemptRepository, Page } from '../../../core/ports.js';
import { copy, scopedKey, type MemoryState } from './state.js';
import { assertPageLimit, decodePageCursor, encodePageCursor, type PageCursor } from '../../../core/lib/page-cursor.js';

/** Newest first: time descending, then id descending so that attempts in one millisecond keep an order. */
function newestFirst(a: { t: number; id: string }, b: { t: number; id: string }): number {
  if (a.t !== b.t) return b.t - a.t;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const position = (attempt: LoginAttemptRecord): PageCursor => ({ t: attempt.time.getTime(), id: attempt.id });

/**
 * The in-memory {@link LoginAttemptRepository}. Pages are keyset-paginated on `(time, id)`, so attempts
 * recorded between two page reads never cause duplicates or gaps. `listSuccessfulIps` and `purge` scan
 * every attempt: fine for the reference implementation, not for millions of rows.
 */
export function createLoginAttemptRepository(state: MemoryState): LoginAttemptRepository {
  return {
    async record(attempt: LoginAttemptRecord): Promise<void> {
      const key = scopedKey(attempt.group, attempt.id);
      if (state.loginAttempts.has(key)) {
        throw new AuthError('conflict', 'A login attempt with this id already exists in the group.');
      }
      state.loginAttempts.set(key, copy(attempt));
    },

    async listByAccount(group, accountId, options): Promise<Page<LoginAttemptRecord>> {
      const { limit, cursor } = options;
      assertPageLimit(limit);
      const after = cursor === undefined || cursor === null ? null : decodePageCursor(cursor);
      const matching = [...state.loginAttempts.values()]
        .filter((a) => a.group === group && a.accountId === accountId)
        .filter((a) => after === null || newestFirst(after, position(a)) < 0)
        .sort((a, b) => newestFirst(position(a), position(b)));
      const data = matching.slice(0, limit);
      const last = data[data.length - 1];
      const nextCursor = matching.length > limit && last ? encodePageCursor(last) : null;
      return { data: data.map(copy), nextCursor };
    },

    async listSuccessfulIps(group, accountId, options): Promise<string[]> {
      const since = options.since.getTime();
      // ip → the time of its latest success.
      const latest = new Map<string, number>();
      for (const a of state.loginAttempts.values()) {
        if (a.group !== group || a.accountId !== accountId || !a.success || a.ip === null) continue;
        const t = a.time.getTime();
        if (t >= since && t > (latest.get(a.ip) ?? -Infinity)) latest.set(a.ip, t);
      }
      return [...latest]
        .sort(([ipA, a], [ipB, b]) => b - a || (ipA < ipB ? -1 : ipA > ipB ? 1 : 0))
        .slice(0, Math.max(0, options.limit))
        .map(([ip]) => ip);
    },

    async purge({ before, unknownBefore, limit }): Promise<number> {
      let removed = 0;
      for (const [key, a] of state.loginAttempts) {
        if (limit !== undefined && removed >= limit) break;
        const t = a.time.getTime();
        if (t < before.getTime() || (a.accountId === null && t < unknownBefore.getTime())) {
          state.loginAttempts.delete(key);
          removed += 1;
        }
      }
      return removed;
    },
  };
}
