import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisRateLimiter } from '../../../src/adapters/rate-limit/redis.js';
import type { LogFields, Logger } from '../../../src/core/ports.js';
import { type AuthErrorCode, isAuthError } from '../../../src/index.js';
import { describeWithRedisServer, startPrivateRedis, type PrivateRedis } from '../../multi-instance/fixtures/redis-server.js';
import { until } from '../../core/webhooks/fixtures/spawn-app.js';
import { createTestAuth, PASSWORD } from '../../core/helpers.js';

interface Entry {
  level: string;
  message: string;
  fields?: LogFields;
}

function recordingLogger(): Logger & { entries: Entry[] } {
  const entries: Entry[] = [];
  const record = (level: string) => (message: string, fields?: LogFields) => void entries.push({ level, message, fields });
  return { entries, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

const LIMIT = 5;

/**
 * redisRateLimiter when Redis fails, on a Redis server of this test's own (the machine's shared one is
 * never stopped): killed mid-run, logins keep working on the in-memory fallback, which still enforces the
 * limits (in this process alone); the outage is logged once, however many calls meet it. Started again
 * on the same port, the limiter counts in Redis again, and says so once.
 */
describeWithRedisServer('redisRateLimiter when Redis goes away', () => {
  let server: PrivateRedis;
  let redis: Redis;

  beforeAll(async () => {
    server = await startPrivateRedis();
    redis = new Redis(server.url);
    // The limiter reports the outage; ioredis would print each failed reconnection.
    redis.on('error', () => {});
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.kill();
  });

  function setUp() {
    const logger = recordingLogger();
    // Generous: what is under test is a lost connection, not a slow answer on a loaded machine.
    const rateLimiter = redisRateLimiter(redis, { logger, timeoutMs: 5_000 });
    const { auth } = createTestAuth({
      rateLimiter,
      clock: { now: () => new Date() },
      throttle: { loginPerClient: { points: LIMIT, durationSeconds: 900 } },
    });
    const outcome = async (email: string, password: string, ip: string): Promise<AuthErrorCode | 'ok'> => {
      try {
        await auth.login({ email, password, ip });
        return 'ok';
      } catch (error) {
        if (isAuthError(error)) return error.code;
        throw error;
      }
    };
    /** `LIMIT + 3` wrong passwords for `email` from one address: what each got. */
    const guesses = async (email: string, ip: string) => {
      const codes: string[] = [];
      for (let i = 0; i < LIMIT + 3; i++) codes.push(await outcome(email, 'wrong password', ip));
      return codes;
    };
    const expected = [...Array<string>(LIMIT).fill('invalid_credentials'), ...Array<string>(3).fill('rate_limited')];
    const errors = () => logger.entries.filter((e) => e.level === 'error');
    const recoveries = () => logger.entries.filter((e) => e.level === 'warn');
    return { auth, logger, outcome, guesses, expected, errors, recoveries };
  }

  it('killed: logins go on, limited in memory, and the outage is logged once; restarted: counted in Redis again, logged once', { timeout: 60_000 }, async () => {
    const { auth, logger, outcome, guesses, expected, errors, recoveries } = setUp();
    for (const email of ['before@example.com', 'during@example.com', 'after@example.com', 'owner@example.com']) {
      await auth.register({ email, password: PASSWORD });
    }
    expect(await guesses('before@example.com', '203.0.113.1')).toEqual(expected);
    expect(await redis.dbsize()).toBeGreaterThan(0);
    expect(logger.entries).toEqual([]);

    await server.kill();
    // Logins keep working, and the limits still hold, counted in this process.
    expect(await outcome('owner@example.com', PASSWORD, '203.0.113.2')).toBe('ok');
    expect(await guesses('during@example.com', '203.0.113.3')).toEqual(expected);
    expect(await outcome('owner@example.com', PASSWORD, '203.0.113.2')).toBe('ok');
    expect(errors()).toHaveLength(1);
    expect(errors()[0]!.message).toMatch(/Redis is not answering/);
    expect(errors()[0]!.message).toMatch(/each instance counts alone/);
    expect(recoveries()).toEqual([]);

    await server.restart();
    // ioredis reconnects on its own schedule; the first call after that finds Redis again.
    await until(
      async () => (await outcome('owner@example.com', PASSWORD, '203.0.113.2')) === 'ok' && recoveries().length > 0,
      20_000,
      () => `no recovery logged: ${JSON.stringify(logger.entries)}`,
    );
    expect(recoveries()).toHaveLength(1);
    expect(recoveries()[0]!.message).toMatch(/Redis answers again/);
    expect(await guesses('after@example.com', '203.0.113.4')).toEqual(expected);
    // In the new server, which started empty: one counter of this client's failures for the account.
    const counters = await redis.keys('latchkey:login-client:*');
    expect(counters).toEqual([`latchkey:login-client:${LIMIT}:900:default:after@example.com:203.0.113.4`]);
    expect(await redis.get(counters[0]!)).toBe(String(LIMIT + 3));
    // One outage, one recovery, however many calls met each.
    expect(errors()).toHaveLength(1);
    expect(recoveries()).toHaveLength(1);
  });

  it('a Redis that takes longer than timeoutMs is an outage too: one call at a time waits for it, the others do not', { timeout: 30_000 }, async () => {
    const logger = recordingLogger();
    const timeoutMs = 1_000;
    const limiter = redisRateLimiter(redis, { logger, timeoutMs });
    const rule = { name: 'login-client', points: 2, durationSeconds: 60 };
    expect((await limiter.hit(rule, 'slow')).allowed).toBe(true);
    // CLIENT PAUSE holds every client's commands on the server, while the connection stays `ready`.
    const pauseMs = 3_000;
    await redis.call('client', 'pause', String(pauseMs), 'ALL');
    const paused = Date.now();
    const decisions = await Promise.all([limiter.hit(rule, 'slow'), limiter.hit(rule, 'slow'), limiter.check(rule, 'slow')]);
    expect(Date.now() - paused).toBeLessThan(pauseMs);
    // Counted in memory, from zero: the hit made in Redis before is not there.
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
    expect(logger.entries).toEqual([{ level: 'error', message: expect.stringMatching(/Redis is not answering/), fields: { error: `hit took longer than ${timeoutMs} ms` } }]);

    // Still paused: one call asks Redis (and waits), the others are answered from memory at once.
    const timed = async () => {
      const started = Date.now();
      await limiter.check(rule, 'other');
      return Date.now() - started;
    };
    const took = await Promise.all([timed(), timed(), timed(), timed(), timed()]);
    expect(took.filter((ms) => ms >= timeoutMs), JSON.stringify(took)).toHaveLength(1);
    expect(took.filter((ms) => ms < timeoutMs / 2), JSON.stringify(took)).toHaveLength(4);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, paused + pauseMs - Date.now())));
    await until(
      async () => ((await limiter.check(rule, 'other')), logger.entries.length > 1),
      10_000,
      () => JSON.stringify(logger.entries),
    );
    expect(logger.entries.map((e) => e.level)).toEqual(['error', 'warn']);
  });
});
