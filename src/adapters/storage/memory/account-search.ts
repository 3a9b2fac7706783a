import { assertPageLimit } from '../../../core/lib/page-cursor.js';
import { decodeSearchCursor, emailDomainOf, encodeSearchCursor, foldForSearch } from '../../../core/lib/search-cursor.js';
import type { AccountRecord, AccountSearchFilter, AccountSearchOptions, Page } from '../../../core/ports.js';

/** Code point order (what SQL's binary collations use), not JavaScript's UTF-16 order. */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function matches(account: AccountRecord, filter: AccountSearchFilter): boolean {
  const { q, emailDomains, status, role, verified, createdFrom, createdBefore } = filter;
  if (q !== undefined && q !== '') {
    const folded = foldForSearch(q);
    const name = (value: string | null) => value !== null && foldForSearch(value).startsWith(folded);
    if (!(account.email.startsWith(folded) || name(account.firstName) || name(account.lastName) || account.id === q)) return false;
  }
  if (emailDomains !== undefined && !emailDomains.includes(emailDomainOf(account.email))) return false;
  if (status !== undefined && account.status !== status) return false;
  if (role !== undefined && !account.roles.includes(role)) return false;
  if (verified !== undefined && (account.emailVerifiedAt !== null) !== verified) return false;
  if (createdFrom !== undefined && account.createdAt.getTime() < createdFrom.getTime()) return false;
  if (createdBefore !== undefined && account.createdAt.getTime() >= createdBefore.getTime()) return false;
  return true;
}

/**
 * `accounts.search` over the in-memory records: filter, sort, then the rows after the cursor. The
 * reference for the SQL adapter's keyset pages (`createdAt` newest first, `email` by code point, the id
 * breaking ties the same way).
 */
export function searchAccounts(
  accounts: Iterable<AccountRecord>,
  group: string,
  filter: AccountSearchFilter,
  options: AccountSearchOptions,
): Page<AccountRecord> {
  const { limit, cursor, orderBy = 'createdAt' } = options;
  assertPageLimit(limit);
  const byEmail = orderBy === 'email';
  const after = cursor ? decodeSearchCursor(cursor, orderBy, byEmail ? 'string' : 'number') : null;
  const compare = byEmail
    ? (a: AccountRecord, b: AccountRecord) => byCodePoint(a.email, b.email) || byCodePoint(a.id, b.id)
    : (a: AccountRecord, b: AccountRecord) => b.createdAt.getTime() - a.createdAt.getTime() || byCodePoint(b.id, a.id);
  const isAfter = (a: AccountRecord): boolean => {
    if (!after) return true;
    if (byEmail) return (byCodePoint(a.email, String(after.k)) || byCodePoint(a.id, after.id)) > 0;
    return (Number(after.k) - a.createdAt.getTime() || byCodePoint(after.id, a.id)) > 0;
  };
  const rows = [...accounts].filter((a) => a.group === group && matches(a, filter) && isAfter(a)).sort(compare);
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeSearchCursor({ o: orderBy, k: byEmail ? last.email : last.createdAt.getTime(), id: last.id })
      : null;
  return { data, nextCursor };
}
