import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { type AuthVariables, createAuthApp, requireAuth } from '../../src/http/hono.js';
import type { Auth, Storage } from '../../src/index.js';
import { createTestAuth, PASSWORD, registerAndLogin } from '../core/helpers.js';
import { watchedStorage, type WatchedStorage } from '../support/watched-storage.js';

/**
 * Attacks on the one read of an authenticated request (the session and its account together): a token
 * whose session was revoked, or whose account is gone or locked, gets no further than it did when the
 * session and the account were read apart.
 */
describe('the one-read authentication under attack', () => {
  let auth: Auth;
  let storage: Storage;
  let app: Hono<{ Variables: AuthVariables }>;
  let token: string;
  let refreshToken: string;
  let accountId: string;
  let watched: WatchedStorage;

  const get = async (path: string): Promise<{ status: number; code: string | undefined; reads: string[] }> => {
    watched.calls.length = 0;
    const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { error?: { code: string } };
    return { status: res.status, code: body.error?.code, reads: [...watched.calls] };
  };
  const refused = { status: 401, code: 'unauthenticated' };

  beforeEach(async () => {
    watched = watchedStorage();
    ({ auth, storage } = createTestAuth({ storage: watched.storage }));
    const tokens = await registerAndLogin(auth);
    ({ accessToken: token, refreshToken } = tokens);
    accountId = tokens.account.id;
    app = new Hono<{ Variables: AuthVariables }>();
    app.route('/auth', createAuthApp(auth));
    app.get('/me', requireAuth(auth), (c) => c.json({ id: c.get('auth').account.id }));
    app.get('/stateless', requireAuth(auth, { checkRevocation: false }), (c) => c.json({ id: c.get('auth').account.id }));
  });

  it('control: the token opens the guard, GET /account and, for an admin, an admin route', async () => {
    await storage.accounts.update('default', accountId, { roles: ['admin'] });
    for (const path of ['/me', '/stateless', '/auth/account', `/auth/accounts/${accountId}`]) {
      expect(await get(path), path).toMatchObject({ status: 200 });
    }
  });

  it("refuses a revoked session's token at the guard and at GET /account, from the one read", async () => {
    await auth.logout({ refreshToken });
    expect(await get('/me')).toEqual({ ...refused, reads: ['sessions.findWithAccount'] });
    expect(await get('/auth/account')).toEqual({ ...refused, reads: ['sessions.findWithAccount'] });
    expect(await get(`/auth/accounts/${accountId}`)).toMatchObject(refused);
  });

  it('refuses at the guard a token whose account was deleted, with or without the revocation check', async () => {
    await storage.accounts.delete('default', accountId);
    expect(await get('/me')).toMatchObject(refused);
    expect(await get('/stateless')).toMatchObject(refused);
    expect(await get('/auth/account')).toMatchObject(refused);
  });

  it('refuses at the guard a token whose account was closed (auth.deleteAccount)', async () => {
    await auth.deleteAccount({ accountId, password: PASSWORD });
    expect(await get('/me')).toMatchObject(refused);
    expect(await get('/stateless')).toMatchObject(refused);
  });

  it('a live session whose account row is gone: 401 at the guard, 404 at GET /account, 403 at an admin route', async () => {
    await storage.accounts.update('default', accountId, { roles: ['admin'] });
    watched.orphanSessions(true);
    expect(await get('/me')).toMatchObject(refused);
    expect(await get('/auth/account')).toMatchObject({ status: 404, code: 'not_found' });
    expect(await get(`/auth/accounts/${accountId}`)).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('a locked account with a live session: refused by the guard and the admin routes, shown by GET /account', async () => {
    await storage.accounts.update('default', accountId, { roles: ['admin'], status: 'locked', statusReason: 'admin' });
    expect(await get('/me')).toMatchObject(refused);
    expect(await get('/stateless')).toMatchObject(refused);
    expect(await get(`/auth/accounts/${accountId}`)).toMatchObject({ status: 403, code: 'forbidden' });
    // As before the one read: the account routes leave a locked account to each operation.
    const res = await app.request('/auth/account', { headers: { authorization: `Bearer ${token}` } });
    expect({ status: res.status, state: ((await res.json()) as { state: unknown }).state }).toMatchObject({
      status: 200,
      state: { status: 'locked', reason: 'admin' },
    });
  });
});
