import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/adapters/logger/silent.js';
import { scryptHasher } from '../../src/adapters/password/scrypt.js';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { requireAuth as expressGuard } from '../../src/http/express.js';
import { requireAuth as fastifyGuard } from '../../src/http/fastify.js';
import type { RequireAuthOptions } from '../../src/http/guard.js';
import { requireAuth as honoGuard, type AuthVariables } from '../../src/http/hono.js';
import { type Auth, createAuth } from '../../src/index.js';
import type { TestClient } from '../../src/testing/http-client.js';
import { express, Fastify, Hono, serveExpress, serveFastify, serveHono } from './servers.js';

/** Serves one protected route, `GET /me`, answering what the guard handed to the handler. */
type ServeProtected = (auth: Auth, options: RequireAuthOptions) => Promise<TestClient>;

const frameworks: Record<string, ServeProtected> = {
  hono: (auth, options) => {
    const app = new Hono<{ Variables: AuthVariables }>();
    app.get('/me', honoGuard(auth, options), (c) => {
      const { claims, account } = c.get('auth');
      return c.json({ sub: claims.sub, accountId: account.id });
    });
    return serveHono(app);
  },
  express: (auth, options) => {
    const app = express();
    app.get('/me', expressGuard(auth, options), (req, res) => {
      res.json({ sub: req.auth!.claims.sub, accountId: req.auth!.account.id });
    });
    return serveExpress(app);
  },
  fastify: async (auth, options) => {
    const app = Fastify();
    app.get('/me', { preHandler: fastifyGuard(auth, options) }, async (request) => ({
      sub: request.auth!.claims.sub,
      accountId: request.auth!.account.id,
    }));
    return serveFastify(app);
  },
};

async function signIn(): Promise<{ auth: Auth; accessToken: string; refreshToken: string; accountId: string }> {
  const auth = createAuth({
    storage: memoryStorage(),
    secret: 'OjZs_G0TftfHt1pvR_n2uDVlVEZXoD0b7sCVlhCb',
    passwordHasher: scryptHasher({ ln: 10, r: 8, p: 1 }),
    logger: silentLogger,
  });
  const credentials = { email: 'ada@example.com', password: 'correct horse battery staple' };
  const account = await auth.register(credentials);
  const { accessToken, refreshToken } = await auth.login(credentials);
  return { auth, accessToken, refreshToken, accountId: account.id };
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe.each(Object.entries(frameworks))('requireAuth: %s', (_name, serve) => {
  it('answers 401 unauthenticated with WWW-Authenticate without a token', async () => {
    const { auth } = await signIn();
    const client = await serve(auth, {});
    try {
      for (const init of [{}, bearer('not-a-jwt'), { headers: { authorization: 'Basic YTpi' } }]) {
        const res = await client.request('GET', '/me', init);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
      }
    } finally {
      await client.close();
    }
  });

  it('answers its 401 with the security headers of every latchkey answer', async () => {
    const { auth } = await signIn();
    const client = await serve(auth, {});
    try {
      const res = await client.request('GET', '/me', bearer('not-a-jwt'));
      expect(res.status).toBe(401);
      expect({
        nosniff: res.headers.get('x-content-type-options'),
        referrer: res.headers.get('referrer-policy'),
        cache: res.headers.get('cache-control'),
      }).toEqual({ nosniff: 'nosniff', referrer: 'no-referrer', cache: 'no-store' });
    } finally {
      await client.close();
    }
  });

  it('hands the claims and the account to the handler', async () => {
    const { auth, accessToken, accountId } = await signIn();
    const client = await serve(auth, {});
    try {
      const res = await client.request('GET', '/me', bearer(accessToken));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ sub: accountId, accountId });
    } finally {
      await client.close();
    }
  });

  it('refuses the token of a revoked session', async () => {
    const { auth, accessToken, refreshToken } = await signIn();
    const client = await serve(auth, {});
    try {
      await auth.logout({ refreshToken });
      const res = await client.request('GET', '/me', bearer(accessToken));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body.error.code).toBe('unauthenticated');
    } finally {
      await client.close();
    }
  });

  it('with checkRevocation: false, trusts the token until it expires', async () => {
    const { auth, accessToken, refreshToken, accountId } = await signIn();
    const client = await serve(auth, { checkRevocation: false });
    try {
      await auth.logout({ refreshToken });
      const res = await client.request('GET', '/me', bearer(accessToken));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ sub: accountId, accountId });
    } finally {
      await client.close();
    }
  });

  it('refuses a token held for two-factor setup (requireTwoFactor) with 403 until a factor is on', async () => {
    const { auth, accessToken } = await signIn();
    await auth.updateGroup({ patch: { settings: { requireTwoFactor: true } } });
    const client = await serve(auth, {});
    try {
      const res = await client.request('GET', '/me', bearer(accessToken));
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 403, code: 'two_factor_setup_required' });
      await auth.updateGroup({ patch: { settings: { requireTwoFactor: null } } });
      expect((await client.request('GET', '/me', bearer(accessToken))).status).toBe(200);
    } finally {
      await client.close();
    }
  });

  it('refuses a token of another group', async () => {
    const { auth, accessToken } = await signIn();
    await auth.createGroup({ id: 'acme' });
    const client = await serve(auth, { group: 'acme' });
    try {
      const res = await client.request('GET', '/me', bearer(accessToken));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    } finally {
      await client.close();
    }
  });
});
