import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/hono/app.js';
import { silentLogger } from '../../src/adapters/index.js';
import { createAuth } from '../../src/index.js';
import { memoryStorage } from '../../src/memory.js';

/**
 * The done-when scenario, walked over real HTTP against the `npm start` app: the same module the demo
 * server serves, listening on a free loopback port.
 */
describe('examples/hono: the npm start app over HTTP', () => {
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    const auth = createAuth({ storage: memoryStorage(), secret: randomBytes(32).toString('base64url'), logger: silentLogger });
    const app = createApp(auth);
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function call(method: string, path: string, init: { json?: unknown; body?: string; token?: string; type?: string } = {}) {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined = init.body;
    if (init.json !== undefined) body = JSON.stringify(init.json);
    if (body !== undefined) headers['content-type'] = init.type ?? 'application/json';
    const response = await fetch(base + path, { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as any) : undefined };
  }

  const email = `ada.${randomBytes(4).toString('hex')}@example.com`;
  const password = 'correct horse battery staple';

  it('walks register → login → me → refresh → reuse → JWKS → malformed JSON', async () => {
    // The route list says what is there (`/` is the web app).
    const index = await call('GET', '/api');
    expect(index.status).toBe(200);
    expect(JSON.stringify(index.body)).toContain('/api/me');

    // Register.
    const registered = await call('POST', '/auth/accounts', { json: { email, password, name: { first: 'Ada' } } });
    expect(registered.status).toBe(201);
    expect(registered.body.email.address).toBe(email);
    expect(registered.headers.get('cache-control')).toBe('no-store');

    // Log in.
    const login = await call('POST', '/auth/login', { json: { email, password } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, account: { email: { address: email } } });
    const first = login.body as { accessToken: string; refreshToken: string; account: { id: string } };
    const accountId = first.account.id;

    // The app's own protected route, and latchkey's account route, with the bearer token.
    const me = await call('GET', '/api/me', { token: first.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ accountId, email });
    expect(typeof me.body.message).toBe('string');

    const anonymous = await call('GET', '/api/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const account = await call('GET', '/auth/account', { token: first.accessToken });
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ id: accountId, email: { address: email } });

    // Refresh: new tokens.
    const refreshed = await call('POST', '/auth/token/refresh', { json: { refreshToken: first.refreshToken } });
    expect(refreshed.status).toBe(200);
    const second = refreshed.body as { accessToken: string; refreshToken: string };
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect((await call('GET', '/api/me', { token: second.accessToken })).status).toBe(200);

    // The old refresh token is dead: replaying it is reuse, and the whole session ends with it.
    const replay = await call('POST', '/auth/token/refresh', { json: { refreshToken: first.refreshToken } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('refresh_token_reused');

    const newest = await call('POST', '/auth/token/refresh', { json: { refreshToken: second.refreshToken } });
    expect(newest.status).toBe(401);
    expect(newest.body.error.code).toBe('unauthenticated');
    expect((await call('GET', '/api/me', { token: second.accessToken })).status).toBe(401);
    expect((await call('GET', '/auth/account', { token: second.accessToken })).status).toBe(401);

    // A fresh access token verifies with a standard JOSE library against the published JWKS.
    const again = await call('POST', '/auth/login', { json: { email, password } });
    expect(again.status).toBe(200);
    const jwksUrl = new URL('/auth/.well-known/jwks.json', base);
    const jwksResponse = await call('GET', jwksUrl.pathname);
    expect(jwksResponse.status).toBe(200);
    expect(jwksResponse.headers.get('cache-control')).toBe('public, max-age=300');
    for (const key of jwksResponse.body.keys as Record<string, unknown>[]) expect(key).not.toHaveProperty('d');

    const { payload, protectedHeader } = await jwtVerify(again.body.accessToken as string, createRemoteJWKSet(jwksUrl), {
      issuer: 'latchkey',
      audience: 'latchkey',
      typ: 'at+jwt',
      algorithms: ['EdDSA'],
    });
    expect(protectedHeader.kid).toBe(decodeProtectedHeader(again.body.accessToken as string).kid);
    expect(payload).toMatchObject({ sub: accountId, grp: 'default', amr: ['pwd'] });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(typeof payload.sid).toBe('string');

    // Malformed JSON is a validation failure, not a crash.
    const malformed = await call('POST', '/auth/login', { body: '{"email": "ada@', type: 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('validation_failed');
  });
});
