import { describe, expect, it } from 'vitest';
import { nextMail, tokenFromMail } from './mail.js';
import { groupWithAdmin } from './group-settings.js';
import {
  bearer,
  BEARER_REQUIRED,
  expectError,
  type Harness,
  type HttpSuiteContext,
  INVALID_CREDENTIALS,
  loginAccount,
  PASSWORD,
  registerAccount,
  signedIn,
  type Tokens,
  uniqueEmail,
  uniqueGroup,
  UNAUTHENTICATED_TOKEN,
  UNKNOWN_REFRESH,
} from './setup.js';

const FORBIDDEN = 'This needs the admin role in this group.';
const NOT_ROOT = 'Only administrators of the root group manage groups.';
const OWNER = 'This account owns its group; transfer the ownership before deleting it.';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A multi-group harness whose root group (a fresh id) has a signed-in admin. */
async function rootAdmin(ctx: HttpSuiteContext): Promise<{ h: Harness; root: string; tokens: Tokens }> {
  const root = uniqueGroup('root');
  const h = await ctx.start({ groups: true, auth: { rootGroup: root } });
  await h.auth.createGroup({ id: root });
  const { email } = await registerAccount(h, { prefix: `/auth/${root}` });
  await h.auth.grantRole({ group: root, email, role: 'admin' });
  return { h, root, tokens: await loginAccount(h, email, PASSWORD, `/auth/${root}`) };
}

/** Every page of `GET /groups`. */
async function listAllGroups(h: Harness, root: string, tokens: Tokens, limit: number): Promise<Record<string, any>[]> {
  const all: Record<string, any>[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=${limit}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
    const res = await h.request('GET', `/auth/${root}/groups?${query}`, { headers: bearer(tokens.accessToken) });
    expect(res.status, res.text).toBe(200);
    all.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return all;
}

/** `GET/PATCH /group`, and `GET/POST /groups`, `DELETE /groups/{id}` of the root group's admins. */
export function describeGroupAdmin(ctx: HttpSuiteContext): void {
  describe('administration of groups', () => {
    it('GET /group shows the group; PATCH merges, null removes, and every change is audited', async () => {
      const { h, group, p, admin } = await groupWithAdmin(ctx);
      const auth = { headers: bearer(admin.tokens.accessToken) };
      const got = await h.request('GET', `${p}/group`, auth);
      expect(got.body).toStrictEqual({
        id: group, name: null, locked: false, ownerId: null, settings: {}, createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO),
      });
      h.clock.advance(5);
      const patched = await h.request('PATCH', `${p}/group`, {
        ...auth,
        body: { name: 'Acme', ownerId: admin.account.id, settings: { requireTwoFactor: false, accessTokenTtl: 600, sessionIdleTimeout: 3600 } },
      });
      expect(patched.status, patched.text).toBe(200);
      expect(patched.body).toMatchObject({ name: 'Acme', ownerId: admin.account.id, settings: { requireTwoFactor: false, accessTokenTtl: 600, sessionIdleTimeout: 3600 } });
      expect(patched.body.updatedAt).toBe(h.clock.now().toISOString());
      h.clock.advance(1);
      const merged = await h.request('PATCH', `${p}/group`, { ...auth, body: { settings: { accessTokenTtl: null, passwordMinLength: 12 } } });
      expect(merged.body.settings).toStrictEqual({ requireTwoFactor: false, sessionIdleTimeout: 3600, passwordMinLength: 12 });
      expect((await h.request('GET', `${p}/group`, auth)).body).toStrictEqual(merged.body);
      h.clock.advance(1);
      const cleared = await h.request('PATCH', `${p}/group`, { ...auth, body: { settings: null, name: null } });
      expect({ settings: cleared.body.settings, name: cleared.body.name }).toStrictEqual({ settings: {}, name: null });

      const audit = await h.request('GET', `${p}/audit`, auth);
      const updates = audit.body.data.filter((e: { action: string }) => e.action === 'group.update');
      expect(updates).toHaveLength(3);
      expect(updates[2]).toMatchObject({ actor: { id: admin.account.id }, target: { type: 'group', id: group } });
      expect(updates[2].details.fields).toEqual(expect.arrayContaining(['name', 'ownerId', 'settings.accessTokenTtl']));
    });

    it('PATCH /group refuses unknown fields, values out of bounds and owners of another group (400)', async () => {
      const { h, p, admin } = await groupWithAdmin(ctx);
      const elsewhere = uniqueGroup('elsewhere');
      await h.auth.createGroup({ id: elsewhere });
      const stranger = await registerAccount(h, { prefix: `/auth/${elsewhere}` });
      const auth = { headers: bearer(admin.tokens.accessToken) };
      for (const body of [
        { colour: 'red' },
        { settings: { colour: 'red' } },
        { settings: { accessTokenTtl: 29 } },
        { settings: { accessTokenTtl: 86_401 } },
        { settings: { sessionIdleTimeout: 59 } },
        { settings: { passwordMinLength: 2000 } },
        { settings: { requireTwoFactor: 'yes' } },
        { locked: null },
        { ownerId: 'acc_nobody' },
        { ownerId: stranger.account.id },
      ]) {
        const res = await h.request('PATCH', `${p}/group`, { ...auth, body });
        expect({ status: res.status, code: res.body.error?.code }, JSON.stringify(body)).toEqual({ status: 400, code: 'validation_failed' });
      }
      expect((await h.request('GET', `${p}/group`, auth)).body.settings).toStrictEqual({});
    });

    it('keeps each group to its own admins: another group’s token is 401, a non-admin 403', async () => {
      const a = await groupWithAdmin(ctx, 'acme');
      const b = uniqueGroup('globex');
      await a.h.auth.createGroup({ id: b });
      for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'mine' }]] as const) {
        const res = await a.h.request(method, `/auth/${b}/group`, { headers: bearer(a.admin.tokens.accessToken), body });
        expectError(res, 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
      }
      const user = await signedIn(a.h, a.p);
      for (const [method, path] of [['GET', '/group'], ['PATCH', '/group'], ['GET', '/groups'], ['POST', '/groups'], ['DELETE', `/groups/${b}`]] as const) {
        const body = method === 'PATCH' || method === 'POST' ? {} : undefined;
        expect((await a.h.request(method, `${a.p}${path}`, { body })).status).toBe(401);
        const res = await a.h.request(method, `${a.p}${path}`, { headers: bearer(user.tokens.accessToken), body });
        expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
      }
      expect((await a.h.request('GET', `/auth/${b}/group`)).status).toBe(401);
      expectError(await a.h.request('GET', `${a.p}/group`, { headers: bearer(user.tokens.accessToken) }), 403, 'forbidden', FORBIDDEN);
    });

    it('serves /groups only to admins of the root group (403 elsewhere) and only in multi-group mode (404)', async () => {
      const { h, root, tokens } = await rootAdmin(ctx);
      const other = uniqueGroup('acme');
      await h.auth.createGroup({ id: other });
      const { email } = await registerAccount(h, { prefix: `/auth/${other}` });
      await h.auth.grantRole({ group: other, email, role: 'admin' });
      const otherAdmin = await loginAccount(h, email, PASSWORD, `/auth/${other}`);
      for (const [method, path] of [['GET', '/groups'], ['POST', '/groups'], ['DELETE', `/groups/${root}`]] as const) {
        const res = await h.request(method, `/auth/${other}${path}`, { headers: bearer(otherAdmin.accessToken), body: method === 'POST' ? { id: uniqueGroup('x') } : undefined });
        expectError(res, 403, 'forbidden', NOT_ROOT);
      }
      expect((await h.request('GET', `/auth/${root}/groups`, { headers: bearer(tokens.accessToken) })).status).toBe(200);

      const single = await ctx.start();
      const plain = await signedIn(single);
      for (const [method, path] of [['GET', '/auth/groups'], ['POST', '/auth/groups'], ['DELETE', '/auth/groups/acme']] as const) {
        expectError(await single.request(method, path, { headers: bearer(plain.tokens.accessToken) }), 404, 'not_found', 'No such route.');
      }
      expectError(await single.request('GET', '/auth/group'), 401, 'unauthenticated', BEARER_REQUIRED);
    });

    it('POST /groups creates a group, with an owner who claims the account by mail; GET /groups pages them all', async () => {
      const { h, root, tokens } = await rootAdmin(ctx);
      const auth = { headers: bearer(tokens.accessToken) };
      const plain = uniqueGroup('plain');
      const created = await h.request('POST', `/auth/${root}/groups`, { ...auth, body: { id: plain, name: 'Plain' } });
      expect(created.status, created.text).toBe(201);
      expect(created.body).toStrictEqual({
        id: plain, name: 'Plain', locked: false, ownerId: null, settings: {}, createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO),
      });
      expectError(await h.request('POST', `/auth/${root}/groups`, { ...auth, body: { id: plain } }), 409, 'conflict', 'A group with this id already exists.');
      for (const body of [{ id: 'Not A Slug' }, { id: uniqueGroup('x'), colour: 'red' }, { id: uniqueGroup('x'), ownerEmail: 'not an email' }]) {
        expect((await h.request('POST', `/auth/${root}/groups`, { ...auth, body })).status).toBe(400);
      }

      h.clock.advance(1);
      const owned = uniqueGroup('owned');
      const ownerEmail = uniqueEmail('owner');
      const withOwner = await h.request('POST', `/auth/${root}/groups`, { ...auth, body: { id: owned, ownerEmail } });
      expect(withOwner.status, withOwner.text).toBe(201);
      expect(withOwner.body.ownerId).toMatch(/^acc_/);
      const claim = await nextMail(h, 'account-claim', ownerEmail);
      const reset = await h.request('POST', `/auth/${owned}/password/reset`, { body: { token: tokenFromMail(claim), password: PASSWORD } });
      expect(reset.status, reset.text).toBe(200);
      const owner = await loginAccount(h, ownerEmail, PASSWORD, `/auth/${owned}`);
      expect({ id: owner.account.id, roles: owner.account.roles }).toStrictEqual({ id: withOwner.body.ownerId, roles: ['admin'] });
      expect((await h.request('GET', `/auth/${owned}/group`, { headers: bearer(owner.accessToken) })).body.ownerId).toBe(owner.account.id);

      const listed = await listAllGroups(h, root, tokens, 2);
      const ids = listed.map((g) => g.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining([root, plain, owned]));
      expect(listed.find((g) => g.id === owned)).toStrictEqual(withOwner.body);
      const audit = await h.request('GET', `/auth/${root}/audit`, auth);
      expect(audit.body.data.filter((e: { action: string }) => e.action === 'group.create').map((e: { target: unknown }) => e.target)).toEqual([
        { type: 'group', id: owned },
        { type: 'group', id: plain },
      ]);
    });

    it('DELETE /groups/{id} refuses a group with accounts (409); force removes every account and all their data', async () => {
      const { h, root, tokens } = await rootAdmin(ctx);
      const auth = { headers: bearer(tokens.accessToken) };
      const doomed = uniqueGroup('doomed');
      await h.auth.createGroup({ id: doomed });
      const dp = `/auth/${doomed}`;
      const members = [await signedIn(h, dp), await signedIn(h, dp), await signedIn(h, dp)];
      const jwks = (await h.request('GET', `${dp}/.well-known/jwks.json`)).body;

      const refused = await h.request('DELETE', `/auth/${root}/groups/${doomed}`, auth);
      expectError(refused, 409, 'conflict', 'This group still has accounts; delete them first, or delete it with force=true.');
      expect((await h.request('GET', `${dp}/account`, { headers: bearer(members[0]!.tokens.accessToken) })).status).toBe(200);

      const forced = await h.request('DELETE', `/auth/${root}/groups/${doomed}?force=true`, auth);
      expect(forced.status, forced.text).toBe(204);
      expectError(await h.request('POST', `${dp}/login`, { body: { email: members[0]!.email, password: PASSWORD } }), 404, 'not_found', 'No such group.');
      expectError(await h.request('DELETE', `/auth/${root}/groups/${doomed}`, auth), 404, 'not_found', 'No such group.');

      // Made again with the same id, it starts empty: no account, no session, no key of the old one.
      await h.auth.createGroup({ id: doomed });
      for (const member of members) {
        expectError(await h.request('GET', `${dp}/account`, { headers: bearer(member.tokens.accessToken) }), 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
        expectError(await h.request('POST', `${dp}/token/refresh`, { body: { refreshToken: member.tokens.refreshToken } }), 401, 'unauthenticated', UNKNOWN_REFRESH);
        expectError(await h.request('POST', `${dp}/login`, { body: { email: member.email, password: PASSWORD } }), 401, 'invalid_credentials', INVALID_CREDENTIALS);
      }
      const fresh = (await h.request('GET', `${dp}/.well-known/jwks.json`)).body;
      expect(fresh.keys.map((k: { kid: string }) => k.kid)).not.toEqual(jwks.keys.map((k: { kid: string }) => k.kid));
      const again = await registerAccount(h, { prefix: dp, email: members[0]!.email });
      expect(again.account.id).not.toBe(members[0]!.account.id);

      const audit = await h.request('GET', `/auth/${root}/audit`, auth);
      expect(audit.body.data.find((e: { action: string }) => e.action === 'group.delete')).toMatchObject({
        target: { type: 'group', id: doomed },
        details: { force: true, accountsDeleted: 3 },
      });
    });

    it('never deletes the root group, and deletes an empty group without force', async () => {
      const { h, root, tokens } = await rootAdmin(ctx);
      const auth = { headers: bearer(tokens.accessToken) };
      for (const query of ['', '?force=true']) {
        expectError(await h.request('DELETE', `/auth/${root}/groups/${root}${query}`, auth), 403, 'forbidden', 'The root group cannot be deleted.');
      }
      expect((await h.request('GET', `/auth/${root}/account`, auth)).status).toBe(200);
      const empty = uniqueGroup('empty');
      await h.auth.createGroup({ id: empty });
      expect((await h.request('DELETE', `/auth/${root}/groups/${empty}`, auth)).status).toBe(204);
      expect((await h.request('DELETE', `/auth/${root}/groups/${uniqueGroup('ghost')}`, auth)).status).toBe(404);
    });

    it('refuses to delete the owner of a group: 409 for the admin and for the owner itself', async () => {
      const { h, p, group, admin } = await groupWithAdmin(ctx);
      const owner = await signedIn(h, p);
      const set = await h.request('PATCH', `${p}/group`, { headers: bearer(admin.tokens.accessToken), body: { ownerId: owner.account.id } });
      expect(set.body.ownerId).toBe(owner.account.id);
      expectError(await h.request('DELETE', `${p}/accounts/${owner.account.id}`, { headers: bearer(admin.tokens.accessToken) }), 409, 'conflict', OWNER);
      const self = await h.request('DELETE', `${p}/account`, { headers: bearer(owner.tokens.accessToken), body: { password: PASSWORD } });
      expectError(self, 409, 'conflict', OWNER);
      expect((await h.request('GET', `${p}/account`, { headers: bearer(owner.tokens.accessToken) })).body.state.status).toBe('active');
      // Another administrator cannot move the ownership away (only the owner, or the app, can).
      const taken = await h.request('PATCH', `${p}/group`, { headers: bearer(admin.tokens.accessToken), body: { ownerId: null } });
      expectError(taken, 403, 'forbidden', "Only the group's owner can hand over its ownership.");
      // Once the ownership moves, the account can go.
      await h.auth.updateGroup({ group, patch: { ownerId: null } });
      expect((await h.request('DELETE', `${p}/accounts/${owner.account.id}`, { headers: bearer(admin.tokens.accessToken) })).status).toBe(200);
    });
  });
}
