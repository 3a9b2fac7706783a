import { sql, type Expression, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { assertPageLimit } from '../../../core/lib/page-cursor.js';
import {
  decodeSearchCursor,
  emailDomainOf,
  encodeSearchCursor,
  foldForSearch,
  prefixUpperBound,
} from '../../../core/lib/search-cursor.js';
import type { AccountPatch, AccountRecord, AccountSearchFilter, AccountSearchOptions, Page } from '../../../core/ports.js';
import { inspectDialect } from './dialect.js';
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
 *
 * `q` in email order is read as one query per way of matching (email prefix, first-name prefix,
 * last-name prefix, whole id), each at most a page past the cursor, merged here. One `OR` in email order
 * made PostgreSQL walk the email index filtering every row: an email prefix's matches sit together, so
 * it read 700,000 rows to find 20 (docs/benchmarks.md).
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
  const { q, emailDomains } = filter;
  if (emailDomains !== undefined && emailDomains.length === 0) return { data: [], nextCursor: null };

  const where = (match?: Match) => {
    let query = filtered(db.selectFrom(table).where('group_id', '=', group), filter);
    if (match) query = query.where(match);
    if (after && byEmail) {
      const key = String(after.k);
      query = query.where('email', '>=', key).where((eb) => eb.or([eb('email', '>', key), eb('id', '>', after.id)]));
    } else if (after) {
      // `(t, id) < (k, id)` spelt so that every dialect ranges over the index on time.
      const key = Number(after.k);
      query = query.where('created_at', '<=', key).where((eb) => eb.or([eb('created_at', '<', key), eb('id', '<', after.id)]));
    }
    return query;
  };

  let rows: Row[];
  if (!byEmail) {
    let query = where(q ? (eb) => eb.or(matchers(q).map((match) => match(eb))) : undefined).select(columns);
    query = query.orderBy('created_at', 'desc').orderBy('id', 'desc');
    rows = await query.limit(limit + 1).execute();
  } else if (!q) {
    rows = await where().select(columns).orderBy('email').orderBy('id').limit(limit + 1).execute();
  } else {
    // Keys first, one statement per way of matching, then the rows of the page.
    const postgres = inspectDialect(db).name === 'postgres';
    // The statements run at once: on a pool, the page takes as long as the slowest of them.
    const branches = matchers(q).map((match, index) => {
      const branch = where(match).select(['id', 'email']);
      const byName = index === 1 || index === 2;
      // PostgreSQL would walk the email index hoping for matches spread evenly; a name prefix's matches
      // sit together in email order (ada.lovelace@ and Ada), so it is fenced (`offset 0`) into reading
      // the name index and sorting its matches.
      return postgres && byName
        ? db.selectFrom(branch.offset(0).as('m')).selectAll().orderBy('email').orderBy('id').limit(limit + 1).execute()
        : branch.orderBy('email').orderBy('id').limit(limit + 1).execute();
    });
    const keys = (await Promise.all(branches)).flat();
    const page = mergeByEmail([keys]).slice(0, limit + 1);
    const ids = page.map((key) => String(key.id));
    const found =
      ids.length === 0
        ? []
        : await db.selectFrom(table).select(columns).where('group_id', '=', group).where('id', 'in', ids).execute();
    const byId = new Map(found.map((row) => [String(row.id), row]));
    rows = ids.flatMap((id) => byId.get(id) ?? []);
  }
  const data = rows.slice(0, limit).map((row) => fromRow(accountColumns, row));
  const last = data[data.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeSearchCursor({ o: orderBy, k: byEmail ? last.email : last.createdAt.getTime(), id: last.id })
      : null;
  return { data, nextCursor };
}

type Match = (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;

/** The ways `q` matches, in this order: a prefix of the email, of the folded first and last name, or the whole id. */
function matchers(q: string): Match[] {
  const folded = foldForSearch(q);
  const upper = prefixUpperBound(folded);
  const prefix =
    (column: string): Match =>
    (eb) =>
      upper === null ? eb(column, '>=', folded) : eb.and([eb(column, '>=', folded), eb(column, '<', upper)]);
  return [prefix('email'), prefix('first_name_search'), prefix('last_name_search'), (eb) => eb('id', '=', q)];
}

/** Every filter but `q` and the cursor. */
function filtered<Q extends SelectQueryBuilder<any, any, any>>(query: Q, filter: AccountSearchFilter): Q {
  const { emailDomains, status, role, verified, createdFrom, createdBefore } = filter;
  let out = query as SelectQueryBuilder<any, any, any>;
  if (emailDomains !== undefined) out = out.where('email_domain', 'in', [...emailDomains]);
  if (status !== undefined) out = out.where('status', '=', status);
  if (role !== undefined) out = out.where(sql<boolean>`${sql.ref('roles')} like ${rolePattern(role)} escape '!'`);
  if (verified !== undefined) out = out.where('email_verified_at', verified ? 'is not' : 'is', null);
  if (createdFrom !== undefined) out = out.where('created_at', '>=', createdFrom.getTime());
  if (createdBefore !== undefined) out = out.where('created_at', '<', createdBefore.getTime());
  return out as Q;
}

/** Rows of several email-ordered pages, in `(email, id)` order, each account once. */
function mergeByEmail(pages: Row[][]): Row[] {
  const byId = new Map<string, Row>();
  for (const row of pages.flat()) byId.set(String(row.id), row);
  const key = (row: Row) => [String(row.email), String(row.id)] as const;
  return [...byId.values()].sort((a, b) => {
    const [ea, ia] = key(a);
    const [eb, ib] = key(b);
    return ea < eb ? -1 : ea > eb ? 1 : ia < ib ? -1 : ia > ib ? 1 : 0;
  });
}
