import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/adapters/logger/silent.js';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { createAuthRouter } from '../../src/http/express.js';
import { authPlugin } from '../../src/http/fastify.js';
import { createAuthApp } from '../../src/http/hono.js';
import { type Auth, createAuth } from '../../src/index.js';
import { express, Fastify, Hono } from './servers.js';

// A client that sends a body over the limit must read the 413, not a reset socket: a server that answers
// and closes before the body is in makes the client fail with EPIPE or "other side closed", some of the
// time, so each case runs many times, in a row and at once, over real sockets with Node's own fetch.

/** 2 MB of JSON: 32 times the default limit, under the drain cap. */
const BODY = Buffer.from(JSON.stringify({ email: 'ada@example.com', password: 'x'.repeat(2 * 1024 * 1024) }));
const CHUNK = 16 * 1024;

interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Each adapter as the demo serves it, on a free loopback port. */
const adapters: Record<string, (auth: Auth) => Promise<Listening>> = {
  'fetch handler (Hono on @hono/node-server)': (auth) => {
    const app = new Hono().route('/auth', createAuthApp(auth));
    return listenNode(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server);
  },
  express: (auth) => listenNode(express().use('/auth', createAuthRouter(auth)).listen(0, '127.0.0.1')),
  fastify: async (auth) => {
    const app = Fastify();
    await app.register(authPlugin, { auth, prefix: '/auth' });
    return { url: await app.listen({ port: 0, host: '127.0.0.1' }), close: () => app.close() };
  },
};

async function listenNode(server: Server): Promise<Listening> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The body with its Content-Length, or streamed in chunks (`Transfer-Encoding: chunked`). */
function bodyInit(framing: string): RequestInit {
  if (framing === 'content-length') return { body: BODY };
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= BODY.length) return controller.close();
      controller.enqueue(BODY.subarray(at, (at += CHUNK)));
    },
  });
  return { body, duplex: 'half' } as RequestInit;
}

/** One login with the oversized body, summed up as `status code connection`, or the client's error. */
async function oversizedLogin(url: string, framing: string): Promise<string> {
  try {
    const res = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...bodyInit(framing),
    });
    const body = (await res.json()) as { error?: { code?: string } };
    return `${res.status} ${body.error?.code} ${res.headers.get('connection')}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return `failed: ${cause?.code ?? ''} ${cause?.message ?? String(error)}`;
  }
}

// keep-alive: the server read the rest of the body instead of closing on it.
const ANSWER = '413 payload_too_large keep-alive';

describe.each(Object.entries(adapters))('body over the limit: %s', (_name, listen) => {
  let server: Listening;

  beforeAll(async () => {
    const secret = randomBytes(32).toString('base64url');
    server = await listen(createAuth({ storage: memoryStorage(), secret, logger: silentLogger }));
  });

  afterAll(async () => {
    await server.close();
  });

  it.each(['content-length', 'chunked'])('answers 413 to 30 requests in a row (%s)', async (framing) => {
    const answers: string[] = [];
    for (let i = 0; i < 30; i++) answers.push(await oversizedLogin(server.url, framing));
    expect(answers).toEqual(Array(30).fill(ANSWER));
  });

  it.each(['content-length', 'chunked'])('answers 413 to 10 requests at once, 3 times (%s)', async (framing) => {
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => oversizedLogin(server.url, framing)));
      expect(answers).toEqual(Array(10).fill(ANSWER));
    }
  });
});
