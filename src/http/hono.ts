/**
 * `latchkey/hono`: the latchkey routes as a Hono sub-app served by the fetch handler
 * ({@link createAuthApp}), and the {@link requireAuth} middleware for the app's own routes. Only this
 * entry loads Hono, an optional peer dependency.
 *
 * @module latchkey/hono
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { basePath } from 'hono/route';
import type { Auth } from '../core/create-auth.js';
import { createFetchHandler, type FetchHandler, type FetchHandlerOptions } from './fetch-handler.js';
import { guard, type RequestAuth, type RequireAuthOptions } from './guard.js';
import { errorResponse } from './status.js';

export type { RequestAuth, RequireAuthOptions } from './guard.js';
export type { TrustProxy } from './client-ip.js';

/** Options of {@link createAuthApp}: the mount point comes from `app.route(prefix, …)`, not from here. */
export type AuthAppOptions = Omit<FetchHandlerOptions, 'basePath'>;

/** Context variables set by {@link requireAuth}: `new Hono<{ Variables: AuthVariables }>()`. */
export interface AuthVariables {
  auth: RequestAuth;
}

/**
 * The latchkey routes as a Hono sub-app, served by the fetch handler. Mount it at any prefix with
 * `app.route`; the prefix (parameters included) is read from the matched route on each request.
 * Used on its own, the routes sit at the root (`/login`).
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { serve } from '@hono/node-server'
 * import { createAuthApp } from 'latchkey/hono'
 *
 * const app = new Hono()
 * app.route('/auth', createAuthApp(auth)) // POST /auth/login, GET /auth/account …
 * serve(app)
 * ```
 */
export function createAuthApp(auth: Auth, options: AuthAppOptions = {}): Hono {
  const app = new Hono();
  const handlers = new Map<string, FetchHandler>();
  const handlerFor = (prefix: string): FetchHandler => {
    let handler = handlers.get(prefix);
    if (!handler) {
      // A prefix with parameters (`/t/:tenant`) gives one handler per value seen: keep a bounded few.
      if (handlers.size >= MAX_HANDLERS) handlers.clear();
      handler = createFetchHandler(auth, { ...options, basePath: prefix });
      handlers.set(prefix, handler);
    }
    return handler;
  };
  app.all('/*', (c) => handlerFor(basePath(c))(c.req.raw, { ip: nodeRemoteAddress(c) }));
  return app;
}

/** Fetch handlers kept by {@link createAuthApp}, one per mount prefix as requested. */
const MAX_HANDLERS = 64;

/**
 * Middleware for the host app's own routes: verifies the bearer token, loads the account and sets
 * `c.get('auth')` to `{ claims, account }`. Otherwise it answers the contract's 401 `unauthenticated`
 * (with `WWW-Authenticate: Bearer`).
 *
 * @example
 * ```ts
 * import { requireAuth, type AuthVariables } from 'latchkey/hono'
 *
 * const app = new Hono<{ Variables: AuthVariables }>()
 * app.get('/me', requireAuth(auth), (c) => c.json({ id: c.get('auth').account.id }))
 * ```
 */
export function requireAuth(
  auth: Auth,
  options: RequireAuthOptions = {},
): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    let state: RequestAuth;
    try {
      state = await guard(auth, c.req.header('authorization'), options);
    } catch (error) {
      const { status, headers, body } = errorResponse(error, auth.logger);
      return new Response(JSON.stringify(body), {
        status,
        headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
      });
    }
    c.set('auth', state);
    await next();
  };
}

/** The socket address under `@hono/node-server` (directly, or nested under `server` on some hosts). */
function nodeRemoteAddress(c: Context): string | null {
  const env = c.env as { server?: NodeEnv } & NodeEnv | undefined;
  return (env?.server ?? env)?.incoming?.socket?.remoteAddress ?? null;
}

interface NodeEnv {
  incoming?: { socket?: { remoteAddress?: string } };
}
