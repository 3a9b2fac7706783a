/** Load generation with autocannon, and what one measurement of one scenario on one server gives. */
import autocannon from 'autocannon';
import { serverStats, waitIdle, type Server } from './servers.js';

export type Req = autocannon.Request;

export interface Measured {
  /** 2xx responses per second, counted by the server over the steady part of the window. */
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx responses, socket errors and timeouts. */
  errors: number;
  /** The server's event-loop delay p99 during the measurement. */
  loopP99Ms: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  overallRate?: number;
}

/** Runs autocannon against the server, without touching its event-loop statistics. */
export async function cannon(server: Server, requests: Req[], options: LoadOptions): Promise<Omit<Measured, 'loopP99Ms'>> {
  const result = await autocannon({
    url: server.base,
    connections: options.connections,
    duration: options.seconds,
    requests,
    timeout: 30,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
  });
  const ok = (result as unknown as Record<string, number>)['2xx'] ?? 0;
  return {
    rps: ok / (result.duration || options.seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One scenario on one server: autocannon, with the server's event-loop delay over the same window; then
 * waits for the server's backlog, so that it does not run into the next measurement.
 *
 * Throughput is what the server answered between two readings inside the window: after the first
 * requests (connections opening, the first hashes still running) and before the end (when autocannon
 * hangs up on the requests in flight, whose work the server has done but autocannon does not count).
 * With hash-bound scenarios a few requests a second, those edges are several per cent of a short run.
 */
export async function load(server: Server, requests: Req[], options: LoadOptions): Promise<Measured> {
  await serverStats(server, true);
  const running = cannon(server, requests, options);
  const edge = Math.min(500, options.seconds * 150);
  await sleep(edge);
  const first = await serverStats(server);
  await sleep(options.seconds * 1000 - 2 * edge);
  const last = await serverStats(server);
  const measured = await running;
  const { loopP99Ms } = await serverStats(server);
  await waitIdle(server);
  const rps = (last.answered2xx - first.answered2xx) / ((last.at - first.at) / 1000);
  return { ...measured, rps, loopP99Ms };
}

/**
 * Refreshing with autocannon. Every refresh spends its token and answers a new one, and autocannon
 * resets a connection's context each time it wraps around its request list, so a token cannot ride on
 * the connection from one request to the next. Instead the connections share a pool of sessions' latest
 * tokens: a request takes one, its response puts the new one back. With more sessions than connections
 * the pool is never empty; a refused refresh drops its session (and counts as an error). Requests in
 * flight when the window closes take their successors with them, so every measurement gets new sessions.
 */
export function refreshRequest(pool: string[]): Req {
  return {
    method: 'POST',
    path: '/auth/token/refresh',
    headers: { 'content-type': 'application/json' },
    setupRequest(req) {
      const refreshToken = pool.shift() ?? 'pool-empty';
      return { ...req, body: JSON.stringify({ refreshToken }) };
    },
    onResponse(status, body) {
      if (status === 200) pool.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
    },
  };
}
