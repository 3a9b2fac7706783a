import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../src/adapters/logger/silent.js';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { createAuth } from '../../src/create-auth.js';
import { createAuthRouter } from '../../src/http/express.js';
import { authPlugin } from '../../src/http/fastify.js';
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { createAuthApp } from '../../src/http/hono.js';
import { openApiDocument } from '../../src/http/openapi/document.js';
import type { OpenApiMount } from '../../src/http/openapi/mount.js';
import { documentPath } from '../../src/http/openapi/parameters.js';
import { STATUS_BY_CODE } from '../../src/http/status.js';
import { routes } from '../../src/http/routes.js';
import { fetchClient, type TestClient } from '../../src/testing/http-client.js';
import { TEST_SECRET } from '../core/helpers.js';
import { express, Fastify, Hono, serveExpress, serveFastify, serveHono } from './servers.js';

const WEBAUTHN = { rpID: 'example.com', origins: ['https://example.com'] };

const MOUNTS = [
  { name: 'single group', groups: false, webauthn: false },
  { name: 'single group with passkeys', groups: false, webauthn: true },
  { name: 'multi-group', groups: true, webauthn: false },
  { name: 'multi-group with passkeys', groups: true, webauthn: true },
];

const newAuth = (webauthn: boolean) =>
  createAuth({ storage: memoryStorage(), secret: TEST_SECRET, logger: silentLogger, ...(webauthn ? { webauthn: WEBAUTHN } : {}) });

/** A concrete path for a document path: the default group, and a made-up value for every other parameter. */
const concrete = (template: string): string =>
  template.replace('{group}', 'default').replace('{channel}', 'email').replace(/\{\w+\}/g, 'x');

const isRouteNotFound = (status: number, body: unknown): boolean =>
  status === 404 && (body as { error?: { message?: string } } | undefined)?.error?.message === 'No such route.';

describe('the route table as OpenAPI operations', () => {
  it('names every operation uniquely, in camelCase, with a summary and known tags', () => {
    const ids = routes.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of routes) {
      expect(route.operationId).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(route.summary.length).toBeGreaterThan(0);
      expect(route.tags.length).toBeGreaterThan(0);
    }
  });
});

describe.each(MOUNTS)('the OpenAPI document, $name', ({ groups, webauthn }) => {
  const mount: OpenApiMount = { basePath: '/auth', groups, webauthn };
  const document = openApiDocument(routes, mount);
  const served = (route: (typeof routes)[number]) => (route.root !== true || groups) && (route.requires !== 'webauthn' || webauthn);

  it('is served at /openapi.json: the same bytes every time, public and cacheable', async () => {
    const client = fetchClient(createFetchHandler(newAuth(webauthn), { groups }));
    const path = groups ? '/auth/default/openapi.json' : '/auth/openapi.json';
    const [first, second] = [await client.request('GET', path), await client.request('GET', path)];
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(second.text).toBe(first.text);
    expect(first.body).toEqual(JSON.parse(JSON.stringify(document)));
    expect(document.servers).toEqual([{ url: '/auth', description: expect.any(String) }]);
  });

  it('has every route the mount serves, as the table declares it, and no other', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBe(routes.filter(served).length);
    for (const route of routes) {
      const operation = document.paths[documentPath(route, groups)]?.[route.method.toLowerCase()];
      if (!served(route)) {
        expect(operation, `${route.method} ${route.path} is not served here`).toBeUndefined();
        continue;
      }
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation!.operationId).toBe(route.operationId);
      expect(operation!.security).toEqual(route.auth === 'none' ? [] : [{ bearerAuth: [] }]);

      const names = (operation!.parameters ?? []).map((p) => ('$ref' in p ? p.$ref : `${p.in}:${p.name}`));
      const pathNames = [...documentPath(route, groups).matchAll(/\{(\w+)\}/g)].map(([, name]) =>
        name === 'group' ? '#/components/parameters/Group' : `path:${name}`,
      );
      const queryNames = route.query ? Object.keys((route.query as z.ZodObject).shape).map((name) => `query:${name}`) : [];
      expect(names).toEqual([...pathNames, ...queryNames, ...(route.otp ? ['#/components/parameters/Otp'] : [])]);

      const content = Object.keys(operation!.requestBody?.content ?? {});
      const types = ['application/json', ...(route.oauth ? ['application/x-www-form-urlencoded'] : []), ...(route.jsonPatch ? ['application/json-patch+json'] : [])];
      expect(content).toEqual(route.body ? types : []);

      const statuses = Object.keys(operation!.responses);
      for (const [status, schema] of Object.entries(route.responses)) {
        expect(operation!.responses[status]?.content !== undefined, `${route.operationId} ${status}`).toBe(schema !== null);
      }
      const expected = new Set(route.errors.map((code) => String(STATUS_BY_CODE[code])));
      if (route.auth !== 'none') expected.add('401');
      if (route.auth === 'admin') expected.add('403');
      if (route.method !== 'GET' || route.query) expected.add('400');
      if (groups) expected.add('404');
      for (const status of expected) expect(statuses, `${route.operationId} answers ${status}`).toContain(status);
    }
  });

  it('documents nothing the mount does not serve: no documented operation answers 404 “No such route.”', async () => {
    const client = fetchClient(createFetchHandler(newAuth(webauthn), { groups }));
    for (const [template, item] of Object.entries(document.paths)) {
      for (const method of Object.keys(item)) {
        const res = await client.request(method.toUpperCase(), `/auth${concrete(template)}`);
        expect(isRouteNotFound(res.status, res.body), `${method} ${template}`).toBe(false);
      }
    }
  });

  it('leaves out exactly the routes that answer 404 here', async () => {
    const client = fetchClient(createFetchHandler(newAuth(webauthn), { groups }));
    const prefix = groups ? '/auth/default' : '/auth';
    const credentials = { email: `openapi-${groups}-${webauthn}@example.com`, password: 'correct horse battery staple' };
    expect((await client.request('POST', `${prefix}/accounts`, { body: credentials })).status).toBe(201);
    const { accessToken } = (await client.request('POST', `${prefix}/login`, { body: credentials })).body;
    // A passkey route without passkeys is not there: 404 whatever the token and the body, with or without.
    for (const route of routes.filter((r) => !served(r) && r.root !== true)) {
      for (const headers of [{ authorization: `Bearer ${accessToken}` }, {}] as Record<string, string>[]) {
        const res = await client.request(route.method, `/auth${concrete(documentPath(route, groups))}`, {
          headers,
          ...(route.method === 'GET' ? {} : { body: {} }),
        });
        expect([res.status, res.body.error?.code], `${route.method} ${route.path}`).toStrictEqual([404, 'not_found']);
      }
    }
    if (!groups) {
      for (const route of routes.filter((r) => r.root === true)) {
        const res = await client.request(route.method, `/auth${concrete(route.path)}`);
        expect(isRouteNotFound(res.status, res.body), `${route.method} ${route.path}`).toBe(true);
      }
    }
  });
});

describe('GET /openapi.json on every adapter', () => {
  const mounts: Array<[string, () => Promise<TestClient>]> = [
    ['fetch', async () => fetchClient(createFetchHandler(newAuth(true), { basePath: '/api/auth' }))],
    ['hono', async () => serveHono(new Hono().route('/api/auth', createAuthApp(newAuth(true))))],
    ['express', async () => serveExpress(express().use('/api/auth', createAuthRouter(newAuth(true))))],
    [
      'fastify',
      async () => {
        const app = Fastify();
        await app.register(authPlugin, { auth: newAuth(true), prefix: '/api/auth' });
        return serveFastify(app);
      },
    ],
  ];

  it.each(mounts)('%s: the document of its mount, with the mount path as its server', async (_, connect) => {
    const client = await connect();
    try {
      const res = await client.request('GET', '/api/auth/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument(routes, { basePath: '/api/auth', groups: false, webauthn: true }))));
      expect(res.body.servers[0].url).toBe('/api/auth');
    } finally {
      await client.close();
    }
  });
});
