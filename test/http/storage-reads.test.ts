import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { type AuthVariables, createAuthApp, requireAuth } from '../../src/http/hono.js';
import type { Auth, Storage } from '../../src/index.js';
import { createTestAuth, registerAndLogin } from '../core/helpers.js';
import { watchedStorage } from '../support/watched-storage.js';

/**
 * What an authenticated request reads from storage: the token's session and its account together, one
 * `sessions.findWithAccount`, and never the session or the account again on their own. Each request
 * comes after a warm-up one, so the group's policy and signing keys are in their caches.
 */
describe('an authenticated request reads storage once', () => {
  let auth: Auth;
  let storage: Storage;
  let app: Hono<{ Variables: AuthVariables }>;
  let headers: Record<string, string>;
  let accountId: string;
  /** The repository calls so far, as `repository.method`. */
  let calls: string[];

  /** Sends the request twice (the first warms the caches) and returns the second's status and calls. */
  const twice = async (path: string): Promise<{ status: number; reads: string[] }> => {
    await app.request(path, { headers });
    calls.length = 0;
    const res = await app.request(path, { headers });
    return { status: res.status, reads: [...calls] };
  };

  beforeEach(async () => {
    const watched = watchedStorage();
    calls = watched.calls;
    ({ auth, storage } = createTestAuth({ storage: watched.storage }));
    const tokens = await registerAndLogin(auth);
    accountId = tokens.account.id;
    headers = { authorization: `Bearer ${tokens.accessToken}` };
    app = new Hono<{ Variables: AuthVariables }>();
    app.route('/auth', createAuthApp(auth));
    app.get('/me', requireAuth(auth), (c) => c.json({ id: c.get('auth').account.id }));
    app.get('/stateless', requireAuth(auth, { checkRevocation: false }), (c) => c.json({ id: c.get('auth').account.id }));
  });

  it('GET /account: the session with its account, nothing else', async () => {
    expect(await twice('/auth/account')).toEqual({ status: 200, reads: ['sessions.findWithAccount'] });
  });

  it("a host route behind requireAuth: the session with its account, nothing else", async () => {
    expect(await twice('/me')).toEqual({ status: 200, reads: ['sessions.findWithAccount'] });
  });

  it('requireAuth with checkRevocation: false: the account alone', async () => {
    expect(await twice('/stateless')).toEqual({ status: 200, reads: ['accounts.findById'] });
  });

  it("an admin route: the admin check reads no account of its own, the handler reads the one it shows", async () => {
    await storage.accounts.update('default', accountId, { roles: ['admin'] });
    expect(await twice(`/auth/accounts/${accountId}`)).toEqual({
      status: 200,
      reads: ['sessions.findWithAccount', 'accounts.findById'],
    });
  });

  it('GET /account answers what getAccount answers', async () => {
    const res = await app.request('/auth/account', { headers });
    expect(await res.json()).toEqual(await auth.getAccount({ accountId }));
  });
});
