import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/adapters/logger/silent.js';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { createAuthApp } from '../../src/http/hono.js';
import { createAuth } from '../../src/index.js';
import { Hono } from './servers.js';

// panva's openid-client, unmodified, against latchkey on a real port: RFC 7009 revocation and RFC 7662
// introspection as an OAuth client sends them (form-encoded, client_id in the body).

const PASSWORD = 'correct horse battery staple';
const storage = memoryStorage();
const auth = createAuth({ storage, secret: 'OjZs_G0TftfHt1pvR_n2uDVlVEZXoD0b7sCVlhCb', logger: silentLogger });
let server: Server;
let origin: string;

beforeAll(async () => {
  const app = new Hono().route('/auth', createAuthApp(auth));
  server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});

async function signIn(roles: string[] = []): Promise<{ email: string; accessToken: string; refreshToken: string }> {
  const email = `oidc.${Math.random().toString(36).slice(2, 10)}@example.com`;
  const account = await auth.register({ email, password: PASSWORD });
  if (roles.length > 0) await storage.accounts.update('default', account.id, { roles });
  const tokens = await auth.login({ email, password: PASSWORD });
  if (!('accessToken' in tokens)) throw new Error('expected tokens');
  return { email, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
}

/**
 * A hand-built configuration (latchkey publishes no discovery document), as a public client. openid-client
 * authenticates as a client (`client_id` in the body), never with a bearer token, and has no option for
 * one; latchkey's introspection wants an admin's bearer, so it goes in through `customFetch`.
 */
function configuration(options: { bearer?: string } = {}): client.Configuration {
  const config = new client.Configuration(
    {
      issuer: origin,
      revocation_endpoint: `${origin}/auth/token/revoke`,
      introspection_endpoint: `${origin}/auth/token/introspect`,
    },
    'my-app',
    undefined,
    client.None(),
  );
  client.allowInsecureRequests(config);
  const bearer = options.bearer;
  if (bearer !== undefined) {
    config[client.customFetch] = (url, init) => {
      const headers = new Headers(init.headers as HeadersInit);
      headers.set('authorization', `Bearer ${bearer}`);
      return fetch(url, { ...(init as RequestInit), headers });
    };
  }
  return config;
}

const sessionAlive = async (accessToken: string): Promise<boolean> =>
  auth.verifyAccessToken(accessToken).then(
    () => true,
    () => false,
  );

describe('openid-client against latchkey', () => {
  it('tokenRevocation ends the session of a refresh token', async () => {
    const { accessToken, refreshToken } = await signIn();
    await client.tokenRevocation(configuration(), refreshToken, { token_type_hint: 'refresh_token' });
    expect(await sessionAlive(accessToken)).toBe(false);
    await expect(auth.refresh({ refreshToken })).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('tokenRevocation ends the session of an access token, and accepts an unknown one', async () => {
    const { accessToken } = await signIn();
    await client.tokenRevocation(configuration(), accessToken);
    expect(await sessionAlive(accessToken)).toBe(false);
    await expect(client.tokenRevocation(configuration(), 'not-a-token')).resolves.toBeUndefined();
  });

  it('tokenIntrospection describes live tokens, and dead ones as inactive', async () => {
    const admin = await signIn(['admin']);
    const { email, accessToken, refreshToken } = await signIn();
    const config = configuration({ bearer: admin.accessToken });
    const access = await client.tokenIntrospection(config, accessToken);
    expect(access).toMatchObject({ active: true, token_type: 'access_token', username: email, grp: 'default' });
    expect(access.sub).toBe((await auth.verifyAccessToken(accessToken)).sub);
    const refresh = await client.tokenIntrospection(config, refreshToken, { token_type_hint: 'refresh_token' });
    expect(refresh).toMatchObject({ active: true, token_type: 'refresh_token', username: email, sub: access.sub });
    await client.tokenRevocation(configuration(), refreshToken);
    expect(await client.tokenIntrospection(config, refreshToken)).toEqual({ active: false });
    expect(await client.tokenIntrospection(config, accessToken)).toEqual({ active: false });
  });

  it('tokenIntrospection without an admin bearer fails with the challenge latchkey answers', async () => {
    const { accessToken } = await signIn();
    // latchkey's 401 and 403 carry `WWW-Authenticate: Bearer error="…"`, which openid-client surfaces as is;
    // a request with no credentials at all gets the bare `Bearer` challenge (RFC 6750 §3.1).
    const challenge = (status: number, error: string): unknown => ({
      status,
      cause: [expect.objectContaining({ scheme: 'bearer', parameters: expect.objectContaining({ error }) })],
    });
    await expect(client.tokenIntrospection(configuration(), accessToken)).rejects.toMatchObject({
      status: 401,
      cause: [expect.objectContaining({ scheme: 'bearer', parameters: {} })],
    });
    await expect(client.tokenIntrospection(configuration({ bearer: 'garbage' }), accessToken)).rejects.toMatchObject(
      challenge(401, 'invalid_token') as object,
    );
    await expect(client.tokenIntrospection(configuration({ bearer: accessToken }), accessToken)).rejects.toMatchObject(
      challenge(403, 'insufficient_scope') as object,
    );
  });
});
