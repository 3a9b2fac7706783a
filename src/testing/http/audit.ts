import { describe, expect, it } from 'vitest';
import {
  bearer,
  BEARER_REQUIRED,
  expectError,
  type Harness,
  type HttpSuiteContext,
  loginAccount,
  PASSWORD,
  registerAccount,
  signedIn,
  type Tokens,
  uniqueGroup,
} from './setup.js';

const FORBIDDEN = 'This needs the admin role in this group.';

/** A signed-in account holding the `admin` role (granted by the app: an audit entry with no actor). */
async function signedInAdmin(h: Harness, prefix = '/auth', group?: string): Promise<{ account: Record<string, any>; tokens: Tokens }> {
  const { email, account } = await registerAccount(h, { prefix });
  await h.auth.grantRole({ group, email, role: 'admin' });
  return { account, tokens: await loginAccount(h, email, PASSWORD, prefix) };
}

/** `GET /audit`: the group's log of admin actions, for its admins only. */
export function describeAudit(ctx: HttpSuiteContext): void {
  describe('audit log', () => {
    it('lists every admin action newest first, with actor, address and target, page by page', async () => {
      // A group of its own: the storage may be a database shared with other tests, `default` included.
      const h = await ctx.start({ groups: true });
      const group = uniqueGroup('audit');
      await h.auth.createGroup({ id: group });
      const p = `/auth/${group}`;
      const admin = await signedInAdmin(h, p, group);
      const user = await signedIn(h, p);
      const auth = { headers: bearer(admin.tokens.accessToken) };
      for (const [method, path] of [
        ['GET', `${p}/accounts/${user.account.id}`], // a read: not audited
        ['POST', `${p}/accounts/${user.account.id}/lock`],
        ['POST', `${p}/accounts/${user.account.id}/unlock`],
        ['DELETE', `${p}/accounts/${user.account.id}`],
      ] as const) {
        h.clock.advance(1);
        const res = await h.request(method, path, auth);
        expect(res.status, res.text).toBe(200);
      }
      // The address the adapter saw for the admin, as its own login history shows it.
      const logins = await h.request('GET', `${p}/account/logins`, auth);
      const ip = logins.body.data[0].ip;

      const first = await h.request('GET', `${p}/audit?limit=2`, auth);
      expect(first.status, first.text).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-store');
      const actor = { id: admin.account.id, ip };
      const target = { type: 'account', id: user.account.id };
      expect(first.body.data).toStrictEqual([
        { id: expect.any(String), time: new Date(h.clock.now()).toISOString(), actor, action: 'account.delete', target, details: null },
        { id: expect.any(String), time: expect.any(String), actor, action: 'account.unlock', target, details: { changed: true } },
      ]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await h.request('GET', `${p}/audit?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, auth);
      expect(second.status, second.text).toBe(200);
      expect(second.body.data).toMatchObject([
        { actor, action: 'account.lock', target, details: { sessionsRevoked: 1 } },
        { actor: { id: null, ip: null }, action: 'role.grant', target: { type: 'account', id: admin.account.id }, details: { role: 'admin' } },
      ]);
      expect(second.body.nextCursor).toBeNull();
      const all = await h.request('GET', `${p}/audit`, auth);
      expect(all.body.data.map((e: { id: string }) => e.id)).toStrictEqual([...first.body.data, ...second.body.data].map((e) => e.id));

      expect((await h.request('GET', `${p}/audit?limit=0`, auth)).status).toBe(400);
      expect((await h.request('GET', `${p}/audit?cursor=garbage`, auth)).status).toBe(400);
    });

    it('refuses the log to a non-admin (403) and to no token (401)', async () => {
      const h = await ctx.start();
      const user = await signedIn(h);
      expectError(await h.request('GET', '/auth/audit', { headers: bearer(user.tokens.accessToken) }), 403, 'forbidden', FORBIDDEN);
      expectError(await h.request('GET', '/auth/audit'), 401, 'unauthenticated', BEARER_REQUIRED);
    });

    it("shows an admin of one group none of another group's entries (multi-group mode)", async () => {
      const h = await ctx.start({ groups: true });
      const acme = uniqueGroup('acme');
      const globex = uniqueGroup('globex');
      await h.auth.createGroup({ id: acme });
      await h.auth.createGroup({ id: globex });
      const a = await signedInAdmin(h, `/auth/${acme}`, acme);
      const b = await signedInAdmin(h, `/auth/${globex}`, globex);
      const user = await signedIn(h, `/auth/${acme}`);
      h.clock.advance(1);
      const lock = await h.request('POST', `/auth/${acme}/accounts/${user.account.id}/lock`, { headers: bearer(a.tokens.accessToken) });
      expect(lock.status, lock.text).toBe(200);

      const own = await h.request('GET', `/auth/${acme}/audit`, { headers: bearer(a.tokens.accessToken) });
      expect(own.body.data.map((e: { action: string }) => e.action)).toStrictEqual(['account.lock', 'role.grant']);
      const other = await h.request('GET', `/auth/${globex}/audit`, { headers: bearer(b.tokens.accessToken) });
      expect(other.status, other.text).toBe(200);
      expect(other.body).toStrictEqual({
        data: [expect.objectContaining({ action: 'role.grant', target: { type: 'account', id: b.account.id } })],
        nextCursor: null,
      });
      // A's token is no token in the other group.
      expect((await h.request('GET', `/auth/${globex}/audit`, { headers: bearer(a.tokens.accessToken) })).status).toBe(401);
    });
  });
}
