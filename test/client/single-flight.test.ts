import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLatchkeyClient, type LatchkeyClient, memoryTokenStore, type TokenStore } from '../../src/client/index.js';
import { ACCESS_TOKEN_TTL, newEmail, PASSWORD, recordingFetch, type RecordingFetch, startServer, type TestServer } from './support.js';

/**
 * Single flight: 20 concurrent calls that find the access token expired cause exactly one
 * `POST /token/refresh` on the wire, all 20 succeed, and the session lives on (no refresh token was
 * presented twice, so the server saw no reuse). Both ways a call can find out: from its own clock
 * (refresh ahead of expiry) or from the server's 401 `unauthenticated`.
 */

const CALLS = 20;

describe('latchkey/client: one refresh for many concurrent calls', () => {
  let server: TestServer;
  let wire: RecordingFetch;
  let client: LatchkeyClient;
  /** The client's own clock: normally the server's, or held back to let the server's 401 tell. */
  let lag = 0;
  /** `session.refresh-reused` events: a refresh token presented twice. */
  let reused: unknown[];

  beforeEach(async () => {
    server = await startServer();
    reused = [];
    server.auth.events.on('session.refresh-reused', (event) => void reused.push(event));
    wire = recordingFetch();
    lag = 0;
    client = createLatchkeyClient({ baseUrl: server.baseUrl, fetch: wire.fetch, now: () => server.now() - lag });
    const email = newEmail();
    await client.register({ email, password: PASSWORD });
    expect(await client.login({ email, password: PASSWORD })).toMatchObject({ status: 'signed_in' });
  });

  afterEach(async () => {
    await server.close();
  });

  async function expectSessionAlive(): Promise<void> {
    const sessions = await client.GET('/account/sessions');
    expect(sessions.response.status).toBe(200);
    expect(sessions.data?.data).toHaveLength(1);
    expect(sessions.data?.data[0]?.current).toBe(true);
    await client.refresh();
    expect((await client.account()).email.address).toMatch(/@example\.com$/);
    expect(reused).toEqual([]);
  }

  it('refreshes ahead of expiry once for 20 concurrent calls, and all 20 succeed', async () => {
    server.clock.advance(ACCESS_TOKEN_TTL + 1);
    const before = wire.log.length;

    const results = await Promise.all(Array.from({ length: CALLS }, () => client.GET('/account')));

    expect(results.map((r) => r.response.status)).toEqual(Array(CALLS).fill(200));
    expect(wire.count('/token/refresh')).toBe(1);
    expect(wire.answered('/token/refresh', 200)).toBe(1);
    // Ahead of expiry: no call went out with the old token.
    expect(wire.log.slice(before).filter((line) => line.startsWith('GET'))).toEqual(Array(CALLS).fill('GET /auth/account 200'));
    await expectSessionAlive();
  });

  it('after 20 concurrent 401 unauthenticated answers, refreshes once and retries each call once', async () => {
    lag = (ACCESS_TOKEN_TTL + 1) * 1000; // the client thinks its token is fresh; the server knows better
    server.clock.advance(ACCESS_TOKEN_TTL + 1);

    const results = await Promise.all(Array.from({ length: CALLS }, () => client.GET('/account')));

    expect(results.map((r) => r.response.status)).toEqual(Array(CALLS).fill(200));
    expect(wire.count('/token/refresh')).toBe(1);
    expect(wire.answered('/account', 401)).toBe(CALLS);
    expect(wire.answered('/account', 200)).toBe(CALLS);
    lag = 0;
    await expectSessionAlive();
  });

  it('shares one refresh among clients that share a store (its lock), as tabs sharing localStorage do', async () => {
    const store: TokenStore = memoryTokenStore();
    const first = createLatchkeyClient({ baseUrl: server.baseUrl, fetch: wire.fetch, now: server.now, tokenStore: store });
    const second = createLatchkeyClient({ baseUrl: server.baseUrl, fetch: wire.fetch, now: server.now, tokenStore: store });
    const email = newEmail();
    await first.register({ email, password: PASSWORD });
    await first.login({ email, password: PASSWORD });
    server.clock.advance(ACCESS_TOKEN_TTL + 1);
    const refreshesBefore = wire.count('/token/refresh');

    const results = await Promise.all(
      Array.from({ length: CALLS }, (_, i) => (i % 2 ? first : second).GET('/account')),
    );

    expect(results.map((r) => r.response.status)).toEqual(Array(CALLS).fill(200));
    expect(wire.count('/token/refresh') - refreshesBefore).toBe(1);
    expect((await second.account()).email.address).toBe(email);
    expect(reused).toEqual([]);
  });
});
