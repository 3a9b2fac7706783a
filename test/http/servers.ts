import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Env, Hono } from 'hono';
import { serverClient, type TestClient } from '../../src/testing/http-client.js';

/** Serves a Hono app on a free loopback port through `@hono/node-server`. */
export async function serveHono<E extends Env>(app: Hono<E>): Promise<TestClient> {
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
  });
  return serverClient(baseUrl(server), () => closeServer(server));
}

/** Serves an Express app on a free loopback port. */
export async function serveExpress(app: express.Express): Promise<TestClient> {
  const server = await new Promise<Server>((resolve, reject) => {
    const started = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(started)));
  });
  return serverClient(baseUrl(server), () => closeServer(server));
}

/** Serves a Fastify app on a free loopback port. */
export async function serveFastify(app: FastifyInstance): Promise<TestClient> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return serverClient(address, () => app.close());
}

export { express, Fastify, Hono };

function baseUrl(server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
