import { describe, expect, it } from 'vitest';
import {
  bearer,
  BEARER_REQUIRED,
  expectError,
  type Harness,
  type HttpSuiteContext,
  loginAccount,
  PASSWORD,
  signedIn,
  uniqueGroup,
} from './setup.js';

const FORBIDDEN = 'This needs the admin role in this group.';

/** A multi-group harness with two fresh groups, so that every search sees this test's accounts only. */
async function twoGroups(ctx: HttpSuiteContext): Promise<{ h: Harness; acme: string; globex: string }> {
  const h = await ctx.start({ groups: true });
  const acme = uniqueGroup('acme');
  const globex = uniqueGroup('globex');
  await h.auth.createGroup({ id: acme });
  await h.auth.createGroup({ id: globex });
  return { h, acme, globex };
}

/** Registers `email` in `group` with a name (asserting 201); returns the account. */
async function register(h: Harness, group: string, email: string, first?: string, last?: string): Promise<Record<string, any>> {
  const res = await h.request('POST', `/auth/${group}/accounts`, {
    body: { email, password: PASSWORD, ...(first || last ? { name: { first, last } } : {}) },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** An admin of `group`, signed in: registered, granted `admin` in the core, then logged in. */
async function adminOf(h: Harness, group: string): Promise<string> {
  const email = `root.${Math.random().toString(36).slice(2, 8)}@admin.test`;
  await register(h, group, email);
  await h.auth.grantRole({ group, email, role: 'admin' });
  return (await loginAccount(h, email, PASSWORD, `/auth/${group}`)).accessToken;
}

export function describeAccountSearch(ctx: HttpSuiteContext): void {
  describe('administration: GET /accounts (search)', () => {
    it('refuses a non-admin (403) and no token (401)', async () => {
      const { h, acme } = await twoGroups(ctx);
      const user = await signedIn(h, `/auth/${acme}`);
      expectError(await h.request('GET', `/auth/${acme}/accounts`, { headers: bearer(user.tokens.accessToken) }), 403, 'forbidden', FORBIDDEN);
      expectError(await h.request('GET', `/auth/${acme}/accounts?q=a`), 401, 'unauthenticated', BEARER_REQUIRED);
    });

    it('shows the admin’s group only, and refuses its token in another group', async () => {
      const { h, acme, globex } = await twoGroups(ctx);
      const token = await adminOf(h, acme);
      const mine = await register(h, acme, 'shared@example.test', 'Sam');
      const theirs = await register(h, globex, 'shared@example.test', 'Sam');
      await register(h, globex, 'samuel@example.test');
      const list = (query: string) => h.request('GET', `/auth/${acme}/accounts${query}`, { headers: bearer(token) });

      const all = await list('?restrictEmail=example.test');
      expect(all.status, all.text).toBe(200);
      expect(all.body).toEqual({ data: [expect.objectContaining({ id: mine.id, group: acme })], nextCursor: null });
      expect((await list('?q=sam')).body.data.map((a: any) => a.id)).toEqual([mine.id]);
      expect((await list(`?q=${theirs.id}`)).body.data).toEqual([]);
      const elsewhere = await h.request('GET', `/auth/${globex}/accounts`, { headers: bearer(token) });
      expect([401, 403]).toContain(elsewhere.status);
      expect(JSON.stringify(elsewhere.body)).not.toContain(theirs.id);
    });

    it('filters by q, domains, status, role, verification and creation time, and pages by cursor', async () => {
      const { h, acme } = await twoGroups(ctx);
      const token = await adminOf(h, acme);
      const ada = await register(h, acme, 'ada@math.test', 'Ada', 'Lovelace');
      h.clock.advance(1);
      const alan = await register(h, acme, 'alan@cs.test', 'Alan', 'Turing');
      h.clock.advance(1);
      const grace = await register(h, acme, 'grace@navy.test', 'Grace', 'Hopper');
      await h.auth.grantRole({ group: acme, accountId: grace.id, role: 'support' });
      await h.request('POST', `/auth/${acme}/accounts/${alan.id}/lock`, { headers: bearer(token) });
      const ids = async (query: string) => {
        const res = await h.request('GET', `/auth/${acme}/accounts?${query}`, { headers: bearer(token) });
        expect(res.status, res.text).toBe(200);
        return res.body.data.map((account: any) => account.id);
      };

      expect(await ids('q=ADA')).toEqual([ada.id]);
      expect(await ids('q=tur')).toEqual([alan.id]);
      expect(await ids('q=a&orderBy=email')).toEqual([ada.id, alan.id]);
      expect(await ids(`q=${grace.id}`)).toEqual([grace.id]);
      expect(await ids('restrictEmail=math.test,%20navy.test')).toEqual([grace.id, ada.id]);
      expect(await ids('status=locked')).toEqual([alan.id]);
      expect(await ids('role=support')).toEqual([grace.id]);
      expect(await ids('verified=true')).toEqual([]);
      expect((await ids('verified=false')).length).toBe(4);
      const created = new Date(alan.events.createdAt).toISOString();
      expect(await ids(`createdAfter=${created}&restrictEmail=math.test,cs.test,navy.test`)).toEqual([grace.id, alan.id]);
      expect(await ids(`createdBefore=${created}&restrictEmail=math.test,cs.test,navy.test`)).toEqual([ada.id]);

      const first = await h.request('GET', `/auth/${acme}/accounts?restrictEmail=math.test,cs.test,navy.test&limit=2`, { headers: bearer(token) });
      expect(first.body.data.map((a: any) => a.id)).toEqual([grace.id, alan.id]);
      const cursor = encodeURIComponent(first.body.nextCursor);
      const second = await h.request('GET', `/auth/${acme}/accounts?restrictEmail=math.test,cs.test,navy.test&limit=2&cursor=${cursor}`, {
        headers: bearer(token),
      });
      expect(second.body).toEqual({ data: [expect.objectContaining({ id: ada.id })], nextCursor: null });
    });

    it('refuses unknown parameters, bad values and foreign cursors (400)', async () => {
      const { h, acme } = await twoGroups(ctx);
      const token = await adminOf(h, acme);
      for (const query of ['offset=10', 'limit=0', 'limit=101', 'status=gone', 'verified=yes', 'orderBy=name', 'createdAfter=yesterday', 'cursor=%25%25']) {
        const res = await h.request('GET', `/auth/${acme}/accounts?${query}`, { headers: bearer(token) });
        expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'validation_failed' });
      }
    });
  });
}
