/**
 * Shared by the bench servers: the database (a SQLite file or a PostgreSQL URL), peak RSS and event-loop
 * delay reporting, shutdown on signal.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import type { RateLimiter } from '../../src/core/ports/services.js';

export { openSqlite } from '../lib/sqlite.js';

/** Connections per server to PostgreSQL, the same for both libraries (pg's own default). */
export const POOL_SIZE = 10;

/** The servers' storage argument: a `postgres://` URL, or else a SQLite file. */
export const isPostgres = (target: string): boolean => /^postgres(ql)?:\/\//.test(target);

/**
 * A pg pool as an app would open one. An idle connection the server drops emits 'error' on the pool,
 * which would end the process unheard; a checked-out one fails its query anyway.
 */
export function openPostgres(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  pool.on('error', (error) => console.error(`postgres: idle connection failed: ${error.message}`));
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Lets every request through: all the bench's load comes from 127.0.0.1, and per-IP limits would turn a run into a 429 benchmark. */
export const allowAll: RateLimiter = {
  check: async () => ({ allowed: true, retryAfter: 0 }),
  hit: async () => ({ allowed: true, retryAfter: 0 }),
  refund: async () => {},
  reset: async () => {},
};

let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};
setInterval(sample, 100).unref();
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

let inFlight = 0;
let answered2xx = 0;

/**
 * Counts the requests being answered, so that the runner can wait for a server to finish its backlog
 * (queued hashes go on after the load generator hangs up) before it measures the next one.
 */
export async function countInFlight(c: { res: Response }, next: () => Promise<void>): Promise<void> {
  inFlight++;
  try {
    await next();
    if (c.res.status >= 200 && c.res.status < 300) answered2xx++;
  } finally {
    inFlight--;
  }
}

/**
 * GET /__bench/stats: peak RSS, requests in flight, 2xx answers so far (with the server's clock, so the
 * runner can count a steady window), and event-loop delay since the last reset (?reset=1).
 */
export function statsResponse(url: URL): Response {
  sample();
  const body = {
    peakRss,
    inFlight,
    answered2xx,
    at: performance.now(),
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
  };
  if (url.searchParams.get('reset') === '1') loop.reset();
  return Response.json(body);
}

export function onStop(stop: () => Promise<void> | void): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(0), 2000).unref();
      Promise.resolve(stop()).finally(() => process.exit(0));
    });
  }
  process.on('disconnect', () => process.exit(0));
}
