import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { LoginAttemptRecord, LoginAttemptRepository, Page } from '../../../core/ports.js';
import { batches, recoverable, type StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, loginAttemptColumns, toRow } from './mapping.js';
import { assertPageLimit, decodePageCursor, encodePageCursor } from '../../../core/lib/page-cursor.js';

const columns = [...columnNames(loginAttemptColumns), 'actor_id', 'actor_ip'];

/** The row of an attempt: its mapped columns, and `actor` as `actor_id` / `actor_ip`. */
function attemptRow(attempt: LoginAttemptRecord): Record<string, unknown> {
  const { actor, ...rest } = attempt;
  return { ...toRow(loginAttemptColumns, rest), actor_id: actor?.id ?? null, actor_ip: actor?.ip ?? null };
}

/** The attempt stored in `row`; `actor` is absent when the row has no `actor_id`, as for the memory adapter. */
function attemptOf(row: Record<string, unknown>): LoginAttemptRecord {
  const text = (value: unknown) => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value));
  const actor = row.actor_id === null || row.actor_id === undefined
    ? null
    : { id: text(row.actor_id), ip: row.actor_ip === null || row.actor_ip === undefined ? null : text(row.actor_ip) };
  return { ...fromRow(loginAttemptColumns, row), ...(actor ? { actor } : {}) };
}
const SUCCESS = toRow(loginAttemptColumns, { success: true }).success;

/**
 * The SQL {@link LoginAttemptRepository}. Pages are keyset-paginated on `(attempted_at, id)`, newest
 * first, served by the index `(group_id, account_id, attempted_at, id)`: attempts recorded between two
 * reads never shift later pages. `listSuccessfulIps` is one `GROUP BY ip` over the same index.
 * `purge` runs in two steps, each on its own index of migration 0006: attempts older than `before`
 * (`attempted_at`), then unknown-address attempts older than `unknownBefore`
 * (`account_id IS NULL`, `attempted_at`), so neither reads the rows it keeps.
 */
export function createLoginAttemptRepository(ctx: StorageContext): LoginAttemptRepository {
  const { db, tables } = ctx;
  /**
   * Removes at most `limit` rows matched by `due` (all of them without a limit). DELETE … LIMIT is
   * not portable (PostgreSQL has none): the keys are selected first, in `order` (the columns of the
   * index meant to serve `due`, which steers the planner to it), then deleted with `due` repeated, so a
   * row another purge removed meanwhile is not counted twice.
   */
  const remove = async (due: Due, order: string[], limit: number | undefined): Promise<number> => {
    if (limit === undefined) {
      const { numDeletedRows } = await db.deleteFrom(tables.loginAttempts).where(due).executeTakeFirst();
      return Number(numDeletedRows);
    }
    if (limit < 1) return 0;
    let select = db.selectFrom(tables.loginAttempts).select(['group_id', 'id']).where(due);
    for (const column of order) select = select.orderBy(column);
    const keys = await select.limit(limit).execute();
    let removed = 0;
    for (const batch of batches(keys)) {
      const { numDeletedRows } = await db
        .deleteFrom(tables.loginAttempts)
        .where(due)
        .where(({ eb, refTuple, tuple }) =>
          eb(
            refTuple('group_id', 'id'),
            'in',
            batch.map((key) => tuple(String(key.group_id), String(key.id))),
          ),
        )
        .executeTakeFirst();
      removed += Number(numDeletedRows);
    }
    return removed;
  };

  return {
    async record(attempt: LoginAttemptRecord): Promise<void> {
      await conflictOnDuplicate(
        () => recoverable(ctx, (executor) => executor.insertInto(tables.loginAttempts).values(attemptRow(attempt)).execute()),
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
      const data = rows.slice(0, limit).map(attemptOf);
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
    },

    async listSuccessfulIps(group, accountId, options): Promise<string[]> {
      if (options.limit < 1) return [];
      const rows = await db
        .selectFrom(tables.loginAttempts)
        .select((eb) => ['ip', eb.fn.max('attempted_at').as('last_at')])
        .where('group_id', '=', group)
        .where('account_id', '=', accountId)
        .where('attempted_at', '>=', options.since.getTime())
        .where('success', '=', SUCCESS)
        .where('ip', 'is not', null)
        .groupBy('ip')
        .orderBy('last_at', 'desc')
        .orderBy('ip')
        .limit(options.limit)
        .execute();
      // mysql2 hands text of a binary collation back as a Buffer.
      return rows.map((row) => (Buffer.isBuffer(row.ip) ? row.ip.toString('utf8') : String(row.ip)));
    },

    async purge({ before, unknownBefore, limit }): Promise<number> {
      const old = await remove((eb) => eb('attempted_at', '<', before.getTime()), ['attempted_at'], limit);
      // Ordered by `(account_id, attempted_at)`, not by time alone: an index scan on time would read the
      // months of known history that lie before `unknownBefore` to find the unknown-address rows.
      const unknown = await remove(
        (eb) => eb.and([eb('account_id', 'is', null), eb('attempted_at', '<', unknownBefore.getTime())]),
        ['account_id', 'attempted_at'],
        limit === undefined ? undefined : limit - old,
      );
      return old + unknown;
    },
  };
}

/** The condition of the rows one step of `purge` removes. */
type Due = (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;
