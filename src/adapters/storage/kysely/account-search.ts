import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { assertPageLimit } from '../../../core/lib/page-cursor.js';
import {
  decodeSearchCursor,
  emailDomainOf,
  encodeSearchCursor,
  foldForSearch,
  prefixUpperBound,
} from '../../../core/lib/search-cursor.js';
import type { AccountPatch, AccountRecord, AccountSearchFilter, AccountSearchOptions, Page } from '../../../core/ports.js';
import { accountColumns, columnNames, fromRow, type Row } from './mapping.js';

const columns = columnNames(accountColumns);

/**
 * The derived columns of migration 0008 that `search` reads through indexes: the first and last name
 * folded to lower case, and the email's domain. Set from the record on `create`, and from a patch that
 * changes a name or the email; computed here, in JavaScript, so every dialect folds alike.
 */
export function searchColumns(values: Pick<AccountPatch, 'firstName' | 'lastName' | 'email'>): Row {
  const row: Row = {};
  const fold = (name: string | null) => (name === null ? null : foldForSearch(name));
  if (values.firstName !== undefined) row.first_name_search = fold(values.firstName);
  if (values.lastName !== undefined) row.last_name_search = fold(values.lastName);
  if (values.email !== undefined) row.email_domain = emailDomainOf(values.email);
  return row;
}

/** `roles LIKE '%"role"%'` on the JSON array, with `!` escaping the pattern's metacharacters. */
function rolePattern(role: string): string {
  return `%${JSON.stringify(role).replace(/[!%_]/g, (char) => `!${char}`)}%`;
}

/**
 * `accounts.search` on SQL. Prefixes are ranges `[prefix, upper)` over columns of binary collation, so
 * PostgreSQL, MySQL and SQLite all answer them from the indexes on `(group_id, email)`,
 * `(group_id, first_name_search)` and `(group_id, last_name_search)`; the default order walks
 * `(group_id, created_at, id)` backwards, and cursors are keyset conditions on the order's columns.
 */
export async function searchAccountRows(
  db: Kysely<any>,
  table: string,
  group: string,
  filter: AccountSearchFilter,
  options: AccountSearchOptions,
): Promise<Page<AccountRecord>> {
  const { limit, cursor, orderBy = 'createdAt' } = options;
  assertPageLimit(limit);
  const byEmail = orderBy === 'email';
  const after = cursor ? decodeSearchCursor(cursor, orderBy, byEmail ? 'string' : 'number') : null;
  const { q, emailDomains, status, role, verified, createdFrom, createdBefore } = filter;

  let query = db.selectFrom(table).select(columns).where('group_id', '=', group);
  if (q !== undefined && q !== '') {
    const folded = foldForSearch(q);
    const upper = prefixUpperBound(folded);
    const prefix = (eb: ExpressionBuilder<any, any>, column: string) =>
      upper === null ? eb(column, '>=', folded) : eb.and([eb(column, '>=', folded), eb(column, '<', upper)]);
    query = query.where((eb) =>
      eb.or([prefix(eb, 'email'), prefix(eb, 'first_name_search'), prefix(eb, 'last_name_search'), eb('id', '=', q)]),
    );
  }
  if (emailDomains !== undefined) {
    if (emailDomains.length === 0) return { data: [], nextCursor: null };
    query = query.where('email_domain', 'in', [...emailDomains]);
  }
  if (status !== undefined) query = query.where('status', '=', status);
  if (role !== undefined) query = query.where(sql<boolean>`${sql.ref('roles')} like ${rolePattern(role)} escape '!'`);
  if (verified !== undefined) query = query.where('email_verified_at', verified ? 'is not' : 'is', null);
  if (createdFrom !== undefined) query = query.where('created_at', '>=', createdFrom.getTime());
  if (createdBefore !== undefined) query = query.where('created_at', '<', createdBefore.getTime());

  if (after && byEmail) {
    const key = String(after.k);
    query = query.where('email', '>=', key).where((eb) => eb.or([eb('email', '>', key), eb('id', '>', after.id)]));
  } else if (after) {
    // `(t, id) < (k, id)` spelt so that every dialect ranges over the index on time.
    const key = Number(after.k);
    query = query.where('created_at', '<=', key).where((eb) => eb.or([eb('created_at', '<', key), eb('id', '<', after.id)]));
  }
  query = byEmail
    ? query.orderBy('email').orderBy('id')
    : query.orderBy('created_at', 'desc').orderBy('id', 'desc');

  const rows = await query.limit(limit + 1).execute();
  const data = rows.slice(0, limit).map((row) => fromRow(accountColumns, row));
  const last = data[data.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeSearchCursor({ o: orderBy, k: byEmail ? last.email : last.createdAt.getTime(), id: last.id })
      : null;
  return { data, nextCursor };
}
