import { AuthError } from '../../../core/errors.js';
import type { LoginAttemptRecord, LoginAttemptRepository, Page } from '../../../core/ports.js';
import type { StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, loginAttemptColumns, toRow } from './mapping.js';

const columns = columnNames(loginAttemptColumns);

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
        if (Number.isSafeInteger(t) && typeof id === 'string') return { t: t as number, id };
      }
    }
  } catch {
    // Not JSON: reported below like any other malformed cursor.
  }
  throw invalid('cursor', 'The cursor is not one this storage handed out.');
}

/**
 * The SQL {@link LoginAttemptRepository}. Pages are keyset-paginated on `(attempted_at, id)`, newest
 * first, served by the index `(group_id, account_id, attempted_at, id)`: attempts recorded between two
 * reads never shift later pages.
 */
export function createLoginAttemptRepository({ db, tables }: StorageContext): LoginAttemptRepository {
  return {
    async record(attempt: LoginAttemptRecord): Promise<void> {
      await conflictOnDuplicate(
        () => db.insertInto(tables.loginAttempts).values(toRow(loginAttemptColumns, attempt)).execute(),
        'A login attempt with this id already exists in the group.',
      );
    },

    async listByAccount(group, accountId, options): Promise<Page<LoginAttemptRecord>> {
      const { limit, cursor } = options;
      if (!Number.isInteger(limit) || limit < 1) throw invalid('limit', 'The limit must be a positive integer.');
      const after = cursor === undefined || cursor === null ? null : decodeCursor(cursor);
      let query = db
        .selectFrom(tables.loginAttempts)
        .select(columns)
        .where('group_id', '=', group)
        .where('account_id', '=', accountId);
      if (after) {
        // `(t, id) < (after.t, after.id)` spelt so that every dialect ranges over the index on time.
        query = query
          .where('attempted_at', '<=', after.t)
          .where((eb) => eb.or([eb('attempted_at', '<', after.t), eb('id', '<', after.id)]));
      }
      const rows = await query
        .orderBy('attempted_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const data = rows.slice(0, limit).map((row) => fromRow(loginAttemptColumns, row));
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },
  };
}
