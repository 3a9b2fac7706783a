import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLatchkeyClient,
  type LatchkeyClient,
  type LatchkeyClientOptions,
  memoryTokenStore,
  type SessionChange,
  type TokenStore,
} from '../../src/client/index.js';
import { ACCESS_TOKEN_TTL, newEmail, PASSWORD, recordingFetch, type RecordingFetch, startServer, type TestServer } from './support.js';

/**
 * How the client keeps a session: refresh ahead of expiry, one refresh and one retry after a 401
 * `unauthenticated`, the store cleared (with the server's code) when the session has ended, logout,
 * `refresh_token_stale` between two clients sharing a store without a lock, and a refresh that got no
 * answer.
 */

describe('latchkey/client: keeping the session', () => {
  let server: TestServer;
  let wire: RecordingFetch;
  let store: TokenStore;
  let client: LatchkeyClient;
  let changes: SessionChange[];
  let email: string;

  function newClient(options: Partial<LatchkeyClientOptions> = {}): LatchkeyClient {
    const made = createLatchkeyClient({ baseUrl: server.baseUrl, fetch: wire.fetch, now: server.now, tokenStore: store, ...options });
    made.onSessionChange((change) => changes.push(change));
    return made;
  }

  async function signIn(overrides: Parameters<typeof startServer>[0] = {}): Promise<void> {
    server = await startServer(overrides);
    wire = recordingFetch();
    store = memoryTokenStore();
    changes = [];
    client = newClient();
    email = newEmail();
    await client.register({ email, password: PASSWORD });
    await client.login({ email, password: PASSWORD });
  }

  /** The wire since `from`, as `METHOD /path status` lines. */
  const since = (from: number) => wire.log.slice(from);

  beforeEach(async () => {
    await signIn();
  });

  afterEach(async () => {
    await server.close();
  });

  it('keeps the tokens with the expiry counted on its own clock', async () => {
    const tokens = await store.get();
    expect(tokens).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresAt: server.now() + ACCESS_TOKEN_TTL * 1000,
      refreshAt: server.now() + (ACCESS_TOKEN_TTL - 30) * 1000,
    });
    expect(changes.map((c) => c.type)).toEqual(['signed_in']);
  });

  it('refreshes ahead of expiry: inside the margin, the call goes out with a new token and no 401', async () => {
    const before = await store.get();
    server.clock.advance(ACCESS_TOKEN_TTL - 20); // still valid on the server, but within the 30 s margin
    const from = wire.log.length;

    expect((await client.account()).email.address).toBe(email);

    expect(since(from)).toEqual(['POST /auth/token/refresh 200', 'GET /auth/account 200']);
    const after = await store.get();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(changes.at(-1)).toMatchObject({ type: 'refreshed', account: { email: { address: email } } });
  });

  it('does not refresh a token outside the margin', async () => {
    server.clock.advance(ACCESS_TOKEN_TTL - 31);
    const from = wire.log.length;
    await client.account();
    expect(since(from)).toEqual(['GET /auth/account 200']);
  });

  it('on a 401 unauthenticated, refreshes once and retries the request once, body and all', async () => {
    // The server's clock runs ahead of the client's: the token the client thinks fresh has expired.
    const lagging = newClient({ now: () => server.now() - (ACCESS_TOKEN_TTL + 1) * 1000 });
    server.clock.advance(ACCESS_TOKEN_TTL + 1);
    const from = wire.log.length;

    const patched = await lagging.PATCH('/account', { body: { name: { first: 'Ada', last: 'Lovelace' } } });

    expect(patched.response.status).toBe(200);
    expect(patched.data?.name).toEqual({ first: 'Ada', last: 'Lovelace' });
    expect(since(from)).toEqual(['PATCH /auth/account 401', 'POST /auth/token/refresh 200', 'PATCH /auth/account 200']);
  });

  it('a 401 that is not about the token (a wrong current password) gets no refresh', async () => {
    const from = wire.log.length;
    const answer = await client.POST('/account/password', { body: { current: 'wrong password', new: 'another long passphrase' } });
    expect(answer.response.status).toBe(401);
    expect(answer.error).toMatchObject({ error: { code: 'invalid_credentials' } });
    expect(since(from)).toEqual(['POST /auth/account/password 401']);
  });

  it('retries only once: a 401 unauthenticated after the refresh is the answer', async () => {
    const refused = () =>
      new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'No.' } }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      });
    const stubborn = newClient({
      fetch: async (request) => (request.url.endsWith('/account') ? (wire.log.push('GET /auth/account 401'), refused()) : wire.fetch(request)),
    });
    const from = wire.log.length;

    const answer = await stubborn.GET('/account');

    expect(answer.error).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(since(from)).toEqual(['GET /auth/account 401', 'POST /auth/token/refresh 200', 'GET /auth/account 401']);
    expect(await store.get()).not.toBeNull(); // the refresh worked: the session stands
  });

  it('clears the store when the session was revoked, and the error carries the code', async () => {
    // Another device revokes every other session.
    const other = createLatchkeyClient({ baseUrl: server.baseUrl, now: server.now });
    await other.login({ email, password: PASSWORD });
    expect((await other.DELETE('/account/sessions')).response.status).toBe(204);
    const from = wire.log.length;

    const error = await client.account().catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'LatchkeyClientError', code: 'unauthenticated', status: 401 });
    expect(since(from)).toEqual(['GET /auth/account 401', 'POST /auth/token/refresh 401']);
    expect(await store.get()).toBeNull();
    expect(changes.at(-1)).toMatchObject({ type: 'ended', error: { code: 'unauthenticated' } });
    // Signed out now: calls go out without a token and no refresh is tried.
    const after = await client.GET('/account');
    expect(after.error).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(since(from).at(-1)).toBe('GET /auth/account 401');
    await expect(client.refresh()).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('a stolen refresh token used first: refresh_token_reused ends the session here, store cleared', async () => {
    const stolen = (await store.get())!.refreshToken;
    await server.auth.refresh({ refreshToken: stolen }); // the thief refreshes first

    const error = await client.refresh().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'refresh_token_reused', status: 401 });
    expect(await store.get()).toBeNull();
    expect(changes.at(-1)).toMatchObject({ type: 'ended', error: { code: 'refresh_token_reused' } });
  });

  it('logout revokes the session on the server and clears the store', async () => {
    const { refreshToken } = (await store.get())!;
    const from = wire.log.length;

    await client.logout();

    expect(since(from)).toEqual(['POST /auth/logout 204']);
    expect(await store.get()).toBeNull();
    expect(await client.isSignedIn()).toBe(false);
    expect(changes.at(-1)).toEqual({ type: 'signed_out' });
    await expect(server.auth.refresh({ refreshToken })).rejects.toMatchObject({ code: 'unauthenticated' });
    // Twice is harmless.
    await client.logout();
    expect(since(from)).toHaveLength(1);
  });

  it('a refresh with no answer keeps the tokens (network_error), and the next call refreshes', async () => {
    let failNext = true;
    const flaky = newClient({
      fetch: (request) => {
        if (failNext && request.url.endsWith('/token/refresh')) {
          failNext = false;
          return Promise.reject(new TypeError('fetch failed'));
        }
        return wire.fetch(request);
      },
    });
    const before = await store.get();
    server.clock.advance(ACCESS_TOKEN_TTL + 1);

    await expect(flaky.account()).rejects.toMatchObject({ name: 'LatchkeyClientError', code: 'network_error', status: 0 });
    expect(await store.get()).toEqual(before);
    expect((await flaky.account()).email.address).toBe(email);
  });

  it('sends no token of its own on a request that carries one (a support session)', async () => {
    const from = wire.log.length;
    const answer = await client.GET('/account', { headers: { authorization: 'Bearer not-a-token' } });
    expect(answer.error).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(since(from)).toEqual(['GET /auth/account 401']);
  });

  it('startSession adopts a token response got through the passthrough', async () => {
    const fresh = createLatchkeyClient({ baseUrl: server.baseUrl, now: server.now });
    const tokens = await fresh.POST('/login', { body: { email, password: PASSWORD } });
    expect(await fresh.isSignedIn()).toBe(false);
    expect(await fresh.startSession(tokens.data!)).toMatchObject({ status: 'signed_in', twoFactorSetupRequired: false });
    expect((await fresh.account()).email.address).toBe(email);
  });
});

describe('latchkey/client: two clients sharing a store without a lock (tabs without Web Locks)', () => {
  let server: TestServer;

  afterEach(async () => {
    await server.close();
  });

  it('refresh_token_stale inside the server’s grace: the late one waits for the other’s tokens, nothing is revoked', async () => {
    server = await startServer({ refreshTokenReuseGrace: 10 });
    const shared = memoryTokenStore();
    const store: TokenStore = { get: () => shared.get(), set: (t) => shared.set(t), clear: () => shared.clear() };
    const wire = recordingFetch();
    let secondSent!: () => void;
    const secondHasSent = new Promise<void>((resolve) => (secondSent = resolve));

    // The first tab's refresh answer is held until the second tab has sent the same refresh token.
    const first = createLatchkeyClient({
      baseUrl: server.baseUrl,
      now: server.now,
      tokenStore: store,
      fetch: async (request) => {
        const response = await wire.fetch(request);
        if (request.url.endsWith('/token/refresh')) await secondHasSent;
        return response;
      },
    });
    const second = createLatchkeyClient({
      baseUrl: server.baseUrl,
      now: server.now,
      tokenStore: store,
      fetch: (request) => {
        const answer = wire.fetch(request);
        if (request.url.endsWith('/token/refresh')) void answer.then(() => secondSent());
        return answer;
      },
    });
    const email = newEmail();
    await first.register({ email, password: PASSWORD });
    await first.login({ email, password: PASSWORD });
    server.clock.advance(ACCESS_TOKEN_TTL + 1);

    const [a, b] = await Promise.all([first.account(), second.account()]);

    expect([a.email.address, b.email.address]).toEqual([email, email]);
    expect(wire.log.filter((line) => line.includes('/token/refresh')).sort()).toEqual([
      'POST /auth/token/refresh 200',
      'POST /auth/token/refresh 401',
    ]);
    expect((await shared.get())?.refreshToken).toBeDefined();
    // The session lives on for both.
    await second.refresh();
    expect((await first.account()).email.address).toBe(email);
  });
});

describe('latchkey/client: a server mounted with groups', () => {
  it('sends every call under /auth/{group}', async () => {
    const server = await startServer({}, { groups: true });
    try {
      const wire = recordingFetch();
      const client = createLatchkeyClient({ baseUrl: `${server.baseUrl}/`, group: 'default', fetch: wire.fetch, now: server.now });
      const email = newEmail();
      await client.register({ email, password: PASSWORD });
      await client.login({ email, password: PASSWORD });
      expect((await client.account()).group).toBe('default');
      expect(wire.log).toEqual(['POST /auth/default/accounts 201', 'POST /auth/default/login 200', 'GET /auth/default/account 200']);
    } finally {
      await server.close();
    }
  });
});
