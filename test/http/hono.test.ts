import { expect, it } from 'vitest';
import { silentLogger } from '../../src/adapters/logger/silent.js';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { createAuthApp } from '../../src/http/hono.js';
import { createAuth } from '../../src/index.js';
import { runHttpConformance } from '../../src/testing/http-conformance.js';
import { Hono, serveHono } from './servers.js';

runHttpConformance({
  name: 'hono',
  createClient: async (auth, { groups }) => serveHono(new Hono().route('/auth', createAuthApp(auth, { groups }))),
});

it('hono: reads the mount prefix from app.route, nested and with parameters', async () => {
  const auth = createAuth({ storage: memoryStorage(), secret: 'OjZs_G0TftfHt1pvR_n2uDVlVEZXoD0b7sCVlhCb', logger: silentLogger });
  const app = new Hono().route('/api/v1', new Hono().route('/auth', createAuthApp(auth)));
  app.route('/:tenant/auth', createAuthApp(auth));
  for (const prefix of ['/api/v1/auth', '/acme/auth']) {
    expect((await app.request(`${prefix}/.well-known/jwks.json`)).status).toBe(200);
    expect(await (await app.request(`${prefix}/nope`)).json()).toEqual({ error: { code: 'not_found', message: 'No such route.' } });
  }
});
