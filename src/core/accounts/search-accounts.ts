import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { groupOf } from '../lib/group-of.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import type { AccountSearchOrder, AccountStatus, Page } from '../ports.js';

/** What `searchAccounts` takes: every filter given must match. */
export interface SearchAccountsInput {
  /** The group searched (default `default`); no other group's account is ever returned. */
  group?: string | undefined;
  /** The start of the email or of the first or last name (case-insensitive), or a whole account id. */
  q?: string | undefined;
  /** Email domains (`example.com`); the account's address must be at one of them. */
  restrictEmail?: readonly string[] | undefined;
  status?: AccountStatus | undefined;
  /** The account holds this role. */
  role?: string | undefined;
  /** Whether the email is verified. */
  verified?: boolean | undefined;
  /** Created at or after this time. */
  createdAfter?: Date | undefined;
  /** Created before this time. */
  createdBefore?: Date | undefined;
  /** Page size, 1–100 (default 20). */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page of the same search. */
  cursor?: string | null | undefined;
  /** `createdAt` (default, newest first) or `email` (A to Z). */
  orderBy?: AccountSearchOrder | undefined;
}

/** The largest page `searchAccounts` hands out. */
const MAX_LIMIT = 100;

/** The `searchAccounts` operation of `Auth`: the one place its documentation lives. */
export const searchAccountsOperation = {
  /**
   * An administrator's search of the group's accounts (`GET /accounts`), one page at a time. Pages are
   * keyset-paginated (no offsets): pass a page's `nextCursor` to get the next one; accounts created
   * meanwhile never shift it. It does not check that the caller is an administrator: the HTTP route
   * does (`auth: 'admin'`), and an app calling the core decides itself.
   *
   * @throws AuthError `validation_failed` (a `limit` outside 1–100, a malformed cursor, or one of
   *   another order)
   * @example
   * ```ts
   * const { data, nextCursor } = await auth.searchAccounts({ group: 'acme', q: 'ada', status: 'active', limit: 20 })
   * ```
   */
  searchAccounts,
};

/** See {@link searchAccountsOperation}. */
export async function searchAccounts(ctx: AuthContext, input: SearchAccountsInput): Promise<Page<AccountResource>> {
  const { limit = 20, cursor = null, orderBy = 'createdAt' } = input;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    const message = `The limit must be an integer from 1 to ${MAX_LIMIT}.`;
    throw new AuthError('validation_failed', message, { details: [{ path: 'limit', message }] });
  }
  const q = input.q?.trim();
  const page = await ctx.storage.accounts.search(
    groupOf(input),
    {
      q: q === '' ? undefined : q,
      emailDomains: input.restrictEmail?.map((domain) => domain.trim().replace(/^@/, '').normalize('NFKC').toLowerCase()),
      status: input.status,
      role: input.role,
      verified: input.verified,
      createdFrom: input.createdAfter,
      createdBefore: input.createdBefore,
    },
    { limit, cursor, orderBy },
  );
  return { data: page.data.map(toAccountResource), nextCursor: page.nextCursor };
}
