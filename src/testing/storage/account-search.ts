import { describe, expect, it } from 'vitest';
import type { AccountRecord, AccountSearchFilter, AccountSearchOptions, Storage } from '../../core/ports.js';
import { expectAuthError, seedAccount, seedGroup, type SuiteContext } from './helpers.js';
import { at } from './records.js';

/** Ids of the accounts of one page. */
async function ids(storage: Storage, group: string, filter: AccountSearchFilter, options: Partial<AccountSearchOptions> = {}): Promise<string[]> {
  const page = await storage.accounts.search(group, filter, { limit: 100, ...options });
  return page.data.map((account) => account.id);
}

/** Every page of a search, `limit` at a time; `between` runs after each page (to write meanwhile). */
async function walk(
  storage: Storage,
  group: string,
  options: Omit<AccountSearchOptions, 'cursor'>,
  between: (page: number) => Promise<void> = async () => {},
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const result = await storage.accounts.search(group, {}, { ...options, cursor });
    expect(result.data.length).toBeLessThanOrEqual(options.limit);
    seen.push(...result.data.map((account) => account.id));
    if (result.nextCursor === null) return seen;
    cursor = result.nextCursor;
    await between(page);
  }
  throw new Error('the search never ended');
}

/** `accounts.search`: every filter, both orders, keyset pages under concurrent inserts, group scoping. */
export function describeAccountSearch(ctx: SuiteContext): void {
  describe('accounts: search', () => {
    it('matches q against the start of the email, of either name (case folded), or a whole id', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const ada = await seedAccount(ctx.storage, group, { email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace' });
      const elodie = await seedAccount(ctx.storage, group, { email: 'e.dupont@example.org', firstName: 'Élodie', lastName: 'Dupont' });
      const grace = await seedAccount(ctx.storage, group, { email: 'grace@example.net', firstName: null, lastName: 'Hopper' });
      const s = (q: string) => ids(ctx.storage, group, { q }).then((found) => found.sort());

      expect(await s('ada.')).toEqual([ada.id]);
      expect(await s('ADA')).toEqual([ada.id]);
      expect(await s('love')).toEqual([ada.id]);
      expect(await s('élo')).toEqual([elodie.id]);
      expect(await s('ÉLOD')).toEqual([elodie.id]);
      expect(await s('hop')).toEqual([grace.id]);
      expect(await s('e')).toEqual([elodie.id]);
      expect(await s(grace.id)).toEqual([grace.id]);
      // Prefixes only: the middle of an address or a name, or part of an id, matches nothing.
      expect(await s('lovelace@')).toEqual([]);
      expect(await s('odie')).toEqual([]);
      expect(await s(grace.id.slice(0, -1))).toEqual([]);
      expect(await s('%')).toEqual([]);
      expect(await s('_')).toEqual([]);
    });

    it('pages q in email order: each match once, in (email, id) order, whichever way it matched', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const seed = (email: string, firstName: string | null, lastName: string | null, status?: 'locked') =>
        seedAccount(ctx.storage, group, { email, firstName, lastName, ...(status ? { status } : {}) });
      // `ma`: by email (a, c), by first name (b, e), by last name (d), by email and name at once (f).
      const a = await seed('ma.one@x.test', null, null);
      const b = await seed('b@x.test', 'Mara', null);
      const c = await seed('mab@x.test', 'Zed', 'Zed');
      const d = await seed('d@x.test', null, 'Martin');
      const e = await seed('zz@x.test', 'Maja', null);
      const f = await seed('mark@x.test', 'Mark', 'Malone', 'locked');
      await seed('other@x.test', 'Nope', 'Nope');
      await seed('m@x.test', 'M', null);
      const expected = [b, d, a, c, f, e].map((account) => account.id);

      const pages: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page++) {
        const result = await ctx.storage.accounts.search(group, { q: 'MA' }, { limit: 2, orderBy: 'email', cursor });
        expect(result.data.length).toBeLessThanOrEqual(2);
        pages.push(...result.data.map((account) => account.id));
        cursor = result.nextCursor;
        if (cursor === null) break;
      }
      expect(pages).toEqual(expected);
      expect(await ids(ctx.storage, group, { q: 'ma', status: 'locked' }, { orderBy: 'email' })).toEqual([f.id]);
      expect(await ids(ctx.storage, group, { q: f.id }, { orderBy: 'email' })).toEqual([f.id]);
    });

    it('keeps the name and email search in step with updates', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group, { email: 'old@before.test', firstName: 'Zoë', lastName: 'Quinn' });
      await ctx.storage.accounts.update(group, account.id, { firstName: 'Ümit', lastName: null, email: 'new@after.test' });
      expect(await ids(ctx.storage, group, { q: 'zo' })).toEqual([]);
      expect(await ids(ctx.storage, group, { q: 'qui' })).toEqual([]);
      expect(await ids(ctx.storage, group, { q: 'old' })).toEqual([]);
      expect(await ids(ctx.storage, group, { q: 'üm' })).toEqual([account.id]);
      expect(await ids(ctx.storage, group, { q: 'new@' })).toEqual([account.id]);
      expect(await ids(ctx.storage, group, { emailDomains: ['before.test'] })).toEqual([]);
      expect(await ids(ctx.storage, group, { emailDomains: ['after.test'] })).toEqual([account.id]);
    });

    it('filters by email domain, status, role, verification and the created range', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const a = await seedAccount(ctx.storage, group, { email: 'a@acme.test', roles: ['admin'], createdAt: at(1_000), emailVerifiedAt: at(1_500) });
      const b = await seedAccount(ctx.storage, group, { email: 'b@sub.acme.test', roles: ['administrator'], createdAt: at(2_000) });
      const c = await seedAccount(ctx.storage, group, {
        email: 'c@other.test',
        roles: ['support', 'a%_!'],
        status: 'locked',
        createdAt: at(3_000),
        emailVerifiedAt: at(3_500),
      });
      const d = await seedAccount(ctx.storage, group, { email: 'd@acme.test', status: 'deleted', deletedAt: at(4_500), createdAt: at(4_000) });

      expect(await ids(ctx.storage, group, {})).toEqual([d.id, c.id, b.id, a.id]);
      expect(await ids(ctx.storage, group, { emailDomains: ['acme.test'] })).toEqual([d.id, a.id]);
      expect(await ids(ctx.storage, group, { emailDomains: ['acme.test', 'other.test'] })).toEqual([d.id, c.id, a.id]);
      expect(await ids(ctx.storage, group, { emailDomains: [] })).toEqual([]);
      expect(await ids(ctx.storage, group, { status: 'active' })).toEqual([b.id, a.id]);
      expect(await ids(ctx.storage, group, { status: 'locked' })).toEqual([c.id]);
      expect(await ids(ctx.storage, group, { status: 'deleted' })).toEqual([d.id]);
      expect(await ids(ctx.storage, group, { role: 'admin' })).toEqual([a.id]);
      expect(await ids(ctx.storage, group, { role: 'support' })).toEqual([c.id]);
      expect(await ids(ctx.storage, group, { role: 'a%_!' })).toEqual([c.id]);
      expect(await ids(ctx.storage, group, { role: 'a%' })).toEqual([]);
      expect(await ids(ctx.storage, group, { role: 'min' })).toEqual([]);
      expect(await ids(ctx.storage, group, { verified: true })).toEqual([c.id, a.id]);
      expect(await ids(ctx.storage, group, { verified: false })).toEqual([d.id, b.id]);
      expect(await ids(ctx.storage, group, { createdFrom: at(2_000) })).toEqual([d.id, c.id, b.id]);
      expect(await ids(ctx.storage, group, { createdBefore: at(3_000) })).toEqual([b.id, a.id]);
      expect(await ids(ctx.storage, group, { createdFrom: at(1_500), createdBefore: at(3_001) })).toEqual([c.id, b.id]);
      expect(await ids(ctx.storage, group, { q: 'a', status: 'active', role: 'admin', verified: true, emailDomains: ['acme.test'] })).toEqual([
        a.id,
      ]);
    });

    it('orders by creation, newest first with the id breaking ties, or by email', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const make = (email: string, time: number) => seedAccount(ctx.storage, group, { email, createdAt: at(time) });
      const accounts = [await make('m@x.test', 5), await make('b@x.test', 5), await make('z@x.test', 9), await make('a@x.test', 1)];
      const [m, b, z, a] = accounts as [AccountRecord, AccountRecord, AccountRecord, AccountRecord];
      const tied = [m, b].sort((x, y) => (x.id < y.id ? 1 : -1)).map((account) => account.id);
      expect(await ids(ctx.storage, group, {})).toEqual([z.id, ...tied, a.id]);
      expect(await ids(ctx.storage, group, {}, { orderBy: 'email' })).toEqual([a.id, b.id, m.id, z.id]);
    });

    it('pages without duplicates or gaps while accounts are created between pages, in both orders', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const initial: AccountRecord[] = [];
      for (let i = 0; i < 9; i++) {
        // Pairs share a creation time, so ties cross page boundaries.
        initial.push(await seedAccount(ctx.storage, group, { email: `u${i}@x.test`, createdAt: at(10_000 + Math.floor(i / 2)) }));
      }
      const expectedByTime = await ids(ctx.storage, group, {});
      const expectedByEmail = await ids(ctx.storage, group, {}, { orderBy: 'email' });
      expect(expectedByTime).toHaveLength(9);

      let n = 0;
      // Newer accounts land before the cursor; emails that sort first too.
      const insert = async () => {
        n++;
        await seedAccount(ctx.storage, group, { email: `a${n}@x.test`, createdAt: at(20_000 + n) });
      };
      const byTime = await walk(ctx.storage, group, { limit: 2 }, insert);
      expect(byTime).toEqual(expectedByTime);
      const byEmail = await walk(ctx.storage, group, { limit: 2, orderBy: 'email' }, insert);
      expect(byEmail.filter((id) => initial.some((account) => account.id === id))).toEqual(expectedByEmail);
      expect(new Set(byEmail).size).toBe(byEmail.length);
    });

    it('never returns another group’s account, even with the same id or email', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const mine = await seedAccount(ctx.storage, group, { email: 'same@x.test', firstName: 'Same' });
      await seedAccount(ctx.storage, other, { id: mine.id, email: 'same@x.test', firstName: 'Same' });
      await seedAccount(ctx.storage, other, { email: 'samuel@x.test' });
      expect(await ids(ctx.storage, group, {})).toEqual([mine.id]);
      expect(await ids(ctx.storage, group, { q: 'sam' })).toEqual([mine.id]);
      const page = await ctx.storage.accounts.search(group, { q: mine.id }, { limit: 10 });
      expect(page.data.map((account) => account.group)).toEqual([group]);
      expect(await ids(ctx.storage, (await seedGroup(ctx.storage)).id, {})).toEqual([]);
    });

    it('refuses a malformed cursor, a cursor of another order, and a bad limit', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      for (let i = 0; i < 3; i++) await seedAccount(ctx.storage, group);
      const { nextCursor } = await ctx.storage.accounts.search(group, {}, { limit: 1 });
      expect(nextCursor).toEqual(expect.any(String));
      await expectAuthError(ctx.storage.accounts.search(group, {}, { limit: 1, cursor: nextCursor, orderBy: 'email' }), 'validation_failed');
      await expectAuthError(ctx.storage.accounts.search(group, {}, { limit: 1, cursor: 'not a cursor' }), 'validation_failed');
      await expectAuthError(ctx.storage.accounts.search(group, {}, { limit: 1, cursor: 'e30' }), 'validation_failed');
      await expectAuthError(ctx.storage.accounts.search(group, {}, { limit: 0 }), 'validation_failed');
      await expectAuthError(ctx.storage.accounts.search(group, {}, { limit: 1.5 }), 'validation_failed');
    });
  });
}
