import { AuthError } from '../../../core/errors.js';
import type { LoginAttemptRecord, LoginAttemptRepository, Page } from '../../../core/ports.js';
import { copy, scopedKey, type MemoryState } from './state.js';

/** Where a page ended: the time (epoch ms) and id of its last attempt. */
interface Cursor {
  t: number;
  id: string;
}

function invalid(path: string, message: string): AuthError {
  return new AuthError('validation_failed', message, { details: [{ path, message }] });
}

function encodeCursor(attempt: LoginAttemptRecord): string {
  const cursor: Cursor = { t: attempt.time.getTime(), id: attempt.id };
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(value: string): Cursor {
  try {
    if (/^[A-Za-z0-9_-]+$/.test(value)) {
      const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null) {
        const { t, id } = parsed as Record<string, unknown>;
        if (typeof t === 'number' && Number.isFinite(t) && typeof id === 'string') return { t, id };
      }
    }
  } catch {
    // Not JSON: reported below like any other malformed cursor.
  }
  throw invalid('cursor', 'The cursor is not one this storage handed out.');
}

/** Newest first: time descending, then id descending so that attempts in one millisecond keep an order. */
function newestFirst(a: { t: number; id: string }, b: { t: number; id: string }): number {
  if (a.t !== b.t) return b.t - a.t;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const position = (attempt: LoginAttemptRecord): Cursor => ({ t: attempt.time.getTime(), id: attempt.id });

/**
 * The in-memory {@link LoginAttemptRepository}. Pages are keyset-paginated on `(time, id)`, so attempts
 * recorded between two page reads never cause duplicates or gaps.
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
      if (!Number.isInteger(limit) || limit < 1) throw invalid('limit', 'The limit must be a positive integer.');
      const after = cursor === undefined || cursor === null ? null : decodeCursor(cursor);
      const matching = [...state.loginAttempts.values()]
        .filter((a) => a.group === group && a.accountId === accountId)
        .filter((a) => after === null || newestFirst(after, position(a)) < 0)
        .sort((a, b) => newestFirst(position(a), position(b)));
      const data = matching.slice(0, limit);
      const last = data[data.length - 1];
      const nextCursor = matching.length > limit && last ? encodeCursor(last) : null;
      return { data: data.map(copy), nextCursor };
    },
  };
}
