import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../core/webhooks/fixtures/spawn-app.js';
import { PASSWORD } from '../core/helpers.js';
import { freePort, startDemo, type RunningDemo } from '../e2e/harness.js';
import { describeWithService, serviceUrl } from '../support/services.js';
import { sessionIdOf } from './fixtures/instances.js';
import { describeWithPostgresServer, startPrivatePostgres, type PrivatePostgres } from './fixtures/private-postgres.js';

/**
 * Two demo instances (`npm start`: examples/hono/server.ts) on one PostgreSQL and one Redis, with
 * requests spread over both: one guessing budget for the two, a revocation or a refresh-token reuse seen
 * by both at once, and the PostgreSQL server stopped (`pg_ctl stop -m fast`, which ends every connection)
 * and started again under traffic: what docs/deployment.md says of N instances, on the real demo. The server is a cluster of the test's own (the machine's shared one is never stopped); Redis is
 * the shared one, and every client of this run has an address of its own (`TRUST_PROXY=1`, one
 * `X-Forwarded-For` each), so no limit is shared with other tests.
 */

/** The demo's `throttle.loginPerClient`, the default: failed logins per (account, client) in 15 minutes. */
const LOGIN_PER_CLIENT = 10;
/** How long the database stays down, with the traffic going on. */
const OUTAGE_MS = 2_500;
/** How long both instances may take to answer 200 again on every route once the database is back. */
const RECOVERY_MS = 30_000;
/** The pause between two requests of one client, and after a 503 (shorter than its Retry-After, to keep the test short). */
const PACE_MS = 40;
const BACKOFF_MS = 250;

const MESSAGE_LEAKS = /\n\s+at\s|\bat .+:\d+:\d+|node:internal|node_modules|ECONN|57P0|Connection terminated|select |insert |update /i;

type Route = 'login' | 'account' | 'refresh';

interface Demo {
  name: string;
  base: string;
  process: RunningDemo;
}

/** One answer the traffic got, with when it was sent and received (ms since the test's clock started). */
interface Answer {
  demo: string;
  route: Route;
  status: number;
  code: string | undefined;
  retryAfter: string | null;
  text: string;
  body: any;
  sent: number;
  received: number;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** One client: an account, its own address, and the tokens it holds. */
interface User {
  email: string;
  ip: string;
  tokens: Tokens | null;
  /** Refresh tokens whose refresh was answered 503: whether they were rotated, nobody told the client. */
  unsure: Array<{ refreshToken: string; sessionId: string }>;
}

await describeWithService('redis', 'the demo on PostgreSQL and Redis', () => {
  describeWithPostgresServer('two demo instances while their PostgreSQL restarts', () => {
    const run = randomBytes(4).toString('hex');
    const started = Date.now();
    const clock = () => Date.now() - started;
    // Addresses in 198.18.0.0/15 (set aside for benchmarks and tests), drawn for this run.
    const users: User[] = Array.from({ length: 4 }, (_, i) => ({
      email: `pg-restart-${run}-${i}@example.com`,
      ip: `198.${18 + (randomBytes(1)[0]! & 1)}.${randomBytes(1)[0]!}.${randomBytes(1)[0]!}`,
      tokens: null,
      unsure: [],
    }));
    // The clients of the budget and revocation checks, each with an address of its own too.
    const client = (name: string): User => ({
      email: `pg-${name}-${run}@example.com`,
      ip: `198.${18 + (randomBytes(1)[0]! & 1)}.${randomBytes(1)[0]!}.${randomBytes(1)[0]!}`,
      tokens: null,
      unsure: [],
    });
    const guesser = client('guessed');
    const holder = client('holder');
    let postgres: PrivatePostgres;
    let demos: [Demo, Demo];

    beforeAll(async () => {
      postgres = await startPrivatePostgres();
      const env = {
        DATABASE_URL: postgres.url,
        REDIS_URL: serviceUrl('redis'),
        LATCHKEY_SECRET: randomBytes(32).toString('base64url'),
        TRUST_PROXY: '1',
      };
      const ports = [await freePort(), await freePort()];
      // Both at once, as a deployment starts: each migrates on start, under the migrations' lock.
      const starting = await Promise.allSettled(ports.map((port) => startDemo(port, env)));
      const running = starting.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      if (running.length < 2) {
        await Promise.all(running.map((demo) => demo.stop()));
        throw (starting.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
      }
      demos = running.map((process, i) => ({ name: 'ab'[i]!, base: `http://127.0.0.1:${ports[i]}/auth`, process })) as [Demo, Demo];
    }, 120_000);

    afterAll(async () => {
      await Promise.allSettled((demos ?? []).map((demo) => demo.process.stop()));
      await postgres?.destroy();
      // The limiter's keys of this run (its addresses and emails) in the shared Redis.
      const redis = new Redis(serviceUrl('redis'), { maxRetriesPerRequest: 1 });
      redis.on('error', () => {});
      try {
        const patterns = [`*${run}*`, ...[...users, guesser, holder].map((user) => `*:${user.ip}`)];
        const keys = (await Promise.all(patterns.map((pattern) => redis.keys(pattern)))).flat();
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });

    async function send(demo: Demo, user: User, method: string, path: string, body?: unknown, token?: string) {
      const sent = clock();
      const response = await fetch(`${demo.base}${path}`, {
        method,
        headers: {
          'x-forwarded-for': user.ip,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: any = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // Kept as text: the assertions show it.
      }
      const code: string | undefined = typeof parsed?.error === 'string' ? parsed.error : parsed?.error?.code;
      const retryAfter = response.headers.get('retry-after');
      return { demo: demo.name, status: response.status, code, retryAfter, text, body: parsed, sent, received: clock() };
    }

    const signIn = (demo: Demo, user: User) => send(demo, user, 'POST', '/login', { email: user.email, password: PASSWORD });
    const refresh = (demo: Demo, user: User, refreshToken: string) => send(demo, user, 'POST', '/token/refresh', { refreshToken });

    /**
     * One client's traffic until `done()`: sign in, read the account, refresh, over and over, each request
     * on the other instance than the last. A refresh answered 503 leaves the client unsure of its token:
     * it puts the token aside (checked once the database is back) and signs in again.
     */
    async function drive(user: User, offset: number, answers: Answer[], done: () => boolean): Promise<void> {
      for (let step = 0; !done(); step++) {
        const demo = demos[(step + offset) % 2]!;
        const tokens = user.tokens;
        const route: Route = !tokens || step % 3 === 0 ? 'login' : step % 3 === 1 ? 'account' : 'refresh';
        const answer =
          route === 'login'
            ? await signIn(demo, user)
            : route === 'account'
              ? await send(demo, user, 'GET', '/account', undefined, tokens!.accessToken)
              : await refresh(demo, user, tokens!.refreshToken);
        answers.push({ ...answer, route });
        if (answer.status === 200 && route !== 'account') user.tokens = answer.body;
        if (answer.status === 503 && route === 'refresh') {
          user.unsure.push({ refreshToken: tokens!.refreshToken, sessionId: sessionIdOf(tokens!.accessToken) });
          user.tokens = null;
        }
        await new Promise((resolve) => setTimeout(resolve, answer.status === 503 ? BACKOFF_MS : PACE_MS));
      }
    }

    it(`share one guessing budget: 40 concurrent wrong passwords over both give exactly ${LOGIN_PER_CLIENT} 401s, then 429s`, { timeout: 60_000 }, async () => {
      const [a, b] = demos;
      expect((await send(a, guesser, 'POST', '/accounts', { email: guesser.email, password: PASSWORD })).status).toBe(201);
      const guesses = await Promise.all(
        Array.from({ length: 40 }, (_, i) => send(demos[i % 2]!, guesser, 'POST', '/login', { email: guesser.email, password: `not it ${i}` })),
      );
      const counts: Record<number, number> = {};
      for (const guess of guesses) counts[guess.status] = (counts[guess.status] ?? 0) + 1;
      expect(counts).toEqual({ 401: LOGIN_PER_CLIENT, 429: 40 - LOGIN_PER_CLIENT });
      // Both go on refusing that client for that account, the right password too.
      for (const demo of [a, b]) {
        const refused = await signIn(demo, guesser);
        expect([refused.status, refused.code]).toEqual([429, 'rate_limited']);
      }
    });

    it('what one instance ends the other refuses: a revoked session, and a refresh token replayed after its rotation', { timeout: 60_000 }, async () => {
      const [a, b] = demos;
      expect((await send(a, holder, 'POST', '/accounts', { email: holder.email, password: PASSWORD })).status).toBe(201);
      const first = (await signIn(a, holder)).body as Tokens;
      const second = (await signIn(b, holder)).body as Tokens;
      expect((await send(b, holder, 'GET', '/account', undefined, first.accessToken)).status).toBe(200);
      // Revoked through A, refused by B at once.
      const revoke = await send(a, holder, 'DELETE', `/account/sessions/${sessionIdOf(first.accessToken)}`, undefined, second.accessToken);
      expect(revoke.status).toBe(204);
      expect((await send(b, holder, 'GET', '/account', undefined, first.accessToken)).status).toBe(401);
      expect((await refresh(b, holder, first.refreshToken)).status).toBe(401);
      // Rotated on A, replayed on B: reuse, and the session ends everywhere.
      const rotated = await refresh(a, holder, second.refreshToken);
      expect(rotated.status).toBe(200);
      const replay = await refresh(b, holder, second.refreshToken);
      expect([replay.status, replay.code]).toEqual([401, 'refresh_token_reused']);
      expect((await refresh(a, holder, (rotated.body as Tokens).refreshToken)).status).toBe(401);
      for (const demo of [a, b]) expect((await send(demo, holder, 'GET', '/account', undefined, (rotated.body as Tokens).accessToken)).status).toBe(401);
    });

    it('answers 503 unavailable with Retry-After while it is down, never a 500, and recovers by itself', { timeout: 90_000 }, async () => {
      for (const [i, user] of users.entries()) {
        const [a, b] = [demos[i % 2]!, demos[(i + 1) % 2]!];
        expect((await send(a, user, 'POST', '/accounts', { email: user.email, password: PASSWORD })).status).toBe(201);
        expect((await signIn(b, user)).status).toBe(200);
      }

      const answers: Answer[] = [];
      let stopTraffic = false;
      const traffic = users.map((user, i) => drive(user, i, answers, () => stopTraffic));
      try {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const down = clock();
        await postgres.stop();
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
        await postgres.start();
        const back = clock();
        // Every route answered 200 by each instance, for a request sent once the database was back.
        const answered = (demo: Demo, route: Route) => answers.some((x) => x.demo === demo.name && x.route === route && x.status === 200 && x.sent >= back);
        const recovered = () => demos.every((demo) => (['login', 'account', 'refresh'] as const).every((route) => answered(demo, route)));
        const since = () => answers.filter((x) => x.sent >= back).map(brief);
        await until(recovered, RECOVERY_MS, () => `no recovery; the last answers: ${JSON.stringify(since().slice(-20))}`);
        stopTraffic = true;
        await Promise.all(traffic);

        // Only 200 and 503, and every 503 the database's: code `unavailable`, a Retry-After, no stack.
        expect(answers.filter((x) => x.status !== 200 && x.status !== 503).map(brief)).toEqual([]);
        const refused = answers.filter((x) => x.status === 503);
        for (const x of refused) {
          expect(x.code, x.text).toBe('unavailable');
          expect(x.retryAfter, x.text).toMatch(/^[1-9]\d*$/);
        }
        for (const x of answers) expect(x.text, `${x.route} on ${x.demo}`).not.toMatch(MESSAGE_LEAKS);
        // All 200 before the stop, and both instances refused while the database was down.
        expect(answers.filter((x) => x.received < down && x.status !== 200).map(brief)).toEqual([]);
        for (const demo of demos) {
          expect(refused.filter((x) => x.demo === demo.name && x.sent >= down && x.sent < back).length, demo.name).toBeGreaterThan(0);
        }
      } finally {
        stopTraffic = true;
        await Promise.allSettled(traffic);
      }

      // Nothing half-written. A token whose refresh got a 503 was not rotated, so it refreshes (200), unless
      // the connection died with the COMMIT's own answer in flight: then it was rotated and is refused as
      // reuse (the demo sets no `refreshTokenReuseGrace`), which ends its session.
      const alive = new Map<string, Set<string>>();
      const ended = new Map<string, Set<string>>();
      for (const user of users) {
        alive.set(user.email, new Set(user.tokens ? [sessionIdOf(user.tokens.accessToken)] : []));
        ended.set(user.email, new Set());
        for (const [i, { refreshToken, sessionId }] of user.unsure.entries()) {
          const answer = await refresh(demos[i % 2]!, user, refreshToken);
          if (answer.status === 200) {
            expect(sessionIdOf(answer.body.accessToken)).toBe(sessionId);
            alive.get(user.email)!.add(sessionId);
          } else {
            expect([answer.status, answer.code], answer.text).toEqual([401, 'refresh_token_reused']);
            ended.get(user.email)!.add(sessionId);
          }
        }
      }
      // Every account still signs in on both instances, and lists every session the client knows alive and
      // none of those that ended (a sign-in answered 503 may have stored a session the client never saw).
      for (const user of users) {
        for (const demo of demos) {
          const login = await signIn(demo, user);
          expect(login.status).toBe(200);
          alive.get(user.email)!.add(sessionIdOf(login.body.accessToken));
          const sessions = await send(demo, user, 'GET', '/account/sessions', undefined, login.body.accessToken);
          expect(sessions.status).toBe(200);
          const listed = new Set((sessions.body.data as Array<{ id: string }>).map((s) => s.id));
          for (const id of alive.get(user.email)!) expect(listed.has(id), `live session ${id} listed`).toBe(true);
          for (const id of ended.get(user.email)!) expect(listed.has(id), `ended session ${id} not listed`).toBe(false);
        }
      }
      // In the database: every live session has exactly one refresh token not yet rotated.
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ id: string; current: number }>(
          `select s.id, count(r.hash) filter (where r.rotated_at is null)::int as current
             from latchkey_sessions s left join latchkey_refresh_tokens r on r.group_id = s.group_id and r.session_id = s.id
            where s.revoked_at is null group by s.id`,
        );
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.filter((row) => row.current !== 1)).toEqual([]);
        // Each client's account once, and no other.
        const { rows: accounts } = await client.query<{ email: string }>('select email from latchkey_accounts order by email');
        expect(accounts.map((row) => row.email)).toEqual([...users, guesser, holder].map((user) => user.email).sort());
      } finally {
        await client.end();
      }

      // Neither instance restarted, and neither took a database error for a bug.
      for (const demo of demos) {
        expect(demo.process.running(), demo.name).toBe(true);
        expect(demo.process.log(), demo.name).not.toContain('unexpected error while handling a request');
      }
    });
  });
});

/** An answer, short, for a failure message. */
function brief(x: Answer): string {
  return `${x.route}@${x.demo} ${x.status} ${x.text.slice(0, 200)} (sent ${x.sent} ms)`;
}
