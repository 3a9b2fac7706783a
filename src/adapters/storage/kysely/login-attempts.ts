import type { LoginAttemptRecord, LoginAttemptRepository, Page } from '../../../core/ports.js';
import type { StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, loginAttemptColumns, toRow } from './mapping.js';
import { assertPageLimit, decodePageCursor, encodePageCursor } from '../../../core/lib/page-cursor.js';

const columns = columnNames(loginAttemptColumns);

/** Where a page ended: the time (epoch ms) and id of its last attempt. */
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
      assertPageLimit(limit);
      const after = cursor === undefined || cursor === null ? null : decodePageCursor(cursor);
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
      return { data, nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
    },
  };
}
