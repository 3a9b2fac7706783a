import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import type { AuthOptions } from '../../src/index.js';
import { createTestAuth, manualClock, type TestAuth } from '../core/helpers.js';

/**
 * What the client tests run against: a real latchkey server (memory storage, the fetch handler served by
 * `@hono/node-server` on a free loopback port) whose clock the test moves by hand, the same clock the
 * client reads, so that tokens expire without sleeping.
 */
export interface TestServer extends TestAuth {
  /** Where latchkey is mounted: `http://127.0.0.1:<port>/auth`. */
  baseUrl: string;
  /** The clock in ms, for the client's `now` option. */
  now(): number;
  close(): Promise<void>;
}

/** Access tokens live a minute here (the least latchkey allows is 30 s). */
export const ACCESS_TOKEN_TTL = 60;

/** Starts a server with `overrides` of the auth options; `groups` mounts it at `/auth/{group}/…`. */
export async function startServer(overrides: Partial<AuthOptions> = {}, http: { groups?: boolean } = {}): Promise<TestServer> {
  const clock = manualClock(new Date(Math.floor(Date.now() / 30_000) * 30_000 + 1_000));
  const test = createTestAuth({ clock, accessTokenTtl: ACCESS_TOKEN_TTL, ...overrides });
  const handler = createFetchHandler(test.auth, { groups: http.groups ?? false });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: (request) => handler(request, { ip: '127.0.0.1' }), port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started as Server),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...test,
    baseUrl: `http://127.0.0.1:${port}/auth`,
    now: () => clock.now().getTime(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A `fetch` that records every request it sends (`POST /auth/token/refresh`) and every status it gets. */
export interface RecordingFetch {
  fetch(request: Request): Promise<Response>;
  /** `METHOD /path status`, in the order the answers came. */
  readonly log: string[];
  /** How many requests went to a path ending in `path` (with `method`, when given). */
  count(path: string, method?: string): number;
  /** How many answers with `status` came for a path ending in `path`. */
  answered(path: string, status: number): number;
}

export function recordingFetch(send: (request: Request) => Promise<Response> = (request) => fetch(request)): RecordingFetch {
  const sent: Array<{ method: string; path: string }> = [];
  const log: string[] = [];
  return {
    log,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      sent.push({ method: request.method, path });
      const response = await send(request);
      log.push(`${request.method} ${path} ${response.status}`);
      return response;
    },
    count: (path, method) => sent.filter((r) => r.path.endsWith(path) && (method === undefined || r.method === method)).length,
    answered: (path, status) => log.filter((line) => line.endsWith(` ${status}`) && line.split(' ')[1]!.endsWith(path)).length,
  };
}

export const PASSWORD = 'correct horse battery staple';

let accounts = 0;

/** A fresh address for each account a test makes. */
export function newEmail(): string {
  return `ada.${++accounts}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}
