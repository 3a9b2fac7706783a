/**
 * `latchkey/fastify`: the latchkey routes as an encapsulated Fastify plugin ({@link createAuthPlugin}),
 * the {@link requireAuth} `preHandler`, which types `request.auth` for the app's own routes, and the
 * opt-in {@link frameworkErrors}. Only this entry loads Fastify, an optional peer dependency.
 *
 * @module latchkey/fastify
 */
import type {
  FastifyError,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
  preHandlerAsyncHookHandler,
} from 'fastify';
import type { Auth } from '../core/create-auth.js';
import { AuthError } from '../core/errors.js';
import { bodyLimitOf } from './body-limit.js';
import { dispatch } from './dispatch.js';
import { guard, type RequestAuth, type RequireAuthOptions } from './guard.js';
import { frameworkPath, runMatchedRoute } from './native-routes.js';
import { readBodyStream, type StreamedBody } from './read-body.js';
import { routes } from './routes.js';
import { errorResponse } from './status.js';
import { DEFAULT_BODY_LIMIT, type HttpOptions, type HttpRequest, type HttpResponse, type RequestBody } from './types.js';

export type { RequestAuth, RequireAuthOptions } from './guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified token and its account, set by latchkey's `requireAuth` on every route behind it (on
     * a route without it, this is undefined: put the guard before the handler).
     */
    auth: RequestAuth;
  }
}

/** What {@link authPlugin} takes as its registration options: the instance to serve, and the HTTP options. */
export interface AuthPluginOptions extends HttpOptions {
  /** The latchkey instance whose routes the plugin serves. */
  auth: Auth;
}

/**
 * The latchkey routes as an encapsulated Fastify plugin: its body parser (raw text for every content
 * type, validated by the shared code), 404/405 and error handlers stay inside the registered prefix.
 * {@link createAuthPlugin} makes the same plugin for one instance.
 *
 * @deprecated Use `createAuthPlugin(auth)`, named like the other mount helpers.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { authPlugin } from 'latchkey/fastify'
 *
 * const app = Fastify()
 * await app.register(authPlugin, { auth, prefix: '/auth' }) // POST /auth/login, GET /auth/account …
 * ```
 */
export const authPlugin: FastifyPluginAsync<AuthPluginOptions> = async (app, { auth, ...rest }) => {
  const options = { groups: rest.groups ?? false, bodyLimit: rest.bodyLimit ?? DEFAULT_BODY_LIMIT };
  const prefix = app.prefix;
  app.removeAllContentTypeParsers();
  // Not Fastify's own reading (`parseAs`): it answers an over-limit body at once and closes the socket
  // under a client still sending, which then sees EPIPE instead of the 413. Ours reads the rest first.
  app.addContentTypeParser('*', async (request: FastifyRequest, payload: AsyncIterable<Uint8Array>) => {
    const declared = request.headers['content-length'];
    const limit = (request.routeOptions.config as { bodyLimit?: number } | undefined)?.bodyLimit ?? options.bodyLimit;
    return readBodyStream(payload, limit, declared === undefined ? undefined : Number(declared));
  });
  for (const route of routes) {
    app.route({
      method: route.method,
      url: frameworkPath(route, options.groups),
      bodyLimit: bodyLimitOf(route, options.bodyLimit),
      config: { bodyLimit: bodyLimitOf(route, options.bodyLimit) },
      handler: async (request, reply) => {
        const params = request.params as Record<string, string>;
        return send(reply, await runMatchedRoute(auth, route, params, toHttpRequest(request, reply, prefix)));
      },
    });
  }
  // Unknown paths and methods (Fastify says 404 for both): the route table's own matching answers.
  app.setNotFoundHandler(async (request, reply) =>
    send(reply, await dispatch(auth, toHttpRequest(request, reply, prefix), options)),
  );
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // Not a body Fastify refused: the host's hooks failed (rate limit…), so its own error handler answers.
    if (!error.code?.startsWith('FST_ERR_CTP_')) throw error;
    // Answer as the fetch handler would: routing, authentication, then the body.
    const empty = request.headers['content-length'] === '0';
    const body: RequestBody =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? { kind: 'too_large' } : { kind: 'text', text: empty ? '' : '\u0000' };
    return send(reply, await dispatch(auth, { ...toHttpRequest(request, reply, prefix), body }, options));
  });
};

/**
 * The latchkey routes as a Fastify plugin for one instance: `app.register(createAuthPlugin(auth), { prefix })`.
 * The same plugin as {@link authPlugin}, named like the other frameworks' mount helpers
 * (`createAuthApp`, `createAuthRouter`, `createAuthHandler`).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { createAuthPlugin } from 'latchkey/fastify'
 *
 * const app = Fastify()
 * await app.register(createAuthPlugin(auth), { prefix: '/auth' }) // POST /auth/login, GET /auth/account …
 * ```
 */
export function createAuthPlugin(auth: Auth, options: HttpOptions = {}): FastifyPluginAsync {
  return async (app) => authPlugin(app, { ...options, auth });
}

/**
 * A `preHandler` hook for the host app's own routes: verifies the bearer token, loads the account and
 * sets `request.auth = { claims, account }`. Otherwise it answers the contract's 401 `unauthenticated`.
 *
 * @example
 * ```ts
 * import { requireAuth } from 'latchkey/fastify'
 *
 * app.get('/me', { preHandler: requireAuth(auth) }, async (request) => ({ id: request.auth.account.id }))
 * ```
 */
export function requireAuth(auth: Auth, options: RequireAuthOptions = {}): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    try {
      request.auth = await guard(auth, request.headers.authorization, options);
    } catch (error) {
      return send(reply, errorResponse(error, auth.logger));
    }
  };
}

/**
 * A `frameworkErrors` option for the host's `Fastify()`. Fastify's router refuses a malformed
 * %-escape or an over-long path parameter before any plugin runs, with its own 400/414 body; this
 * answers them with the contract's 404 `not_found`, like the other adapters. It applies to the whole
 * server, which is why it is opt-in.
 *
 * @example
 * ```ts
 * import { authPlugin, frameworkErrors } from 'latchkey/fastify'
 *
 * const app = Fastify({ frameworkErrors: frameworkErrors(auth) })
 * ```
 */
export function frameworkErrors(auth: Auth): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return (error, _request, reply) => {
    const unknownPath = error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH';
    send(reply as FastifyReply, errorResponse(unknownPath ? new AuthError('not_found', 'No such route.') : error, auth.logger));
  };
}

/** The request as the shared code takes it; a body left unread past the drain cap closes the connection. */
function toHttpRequest(request: FastifyRequest, reply: FastifyReply, prefix: string): HttpRequest {
  const query = request.url.indexOf('?');
  const pathname = query === -1 ? request.url : request.url.slice(0, query);
  // What the plugin's only body parser returned, if the request had a body.
  const streamed = request.body as StreamedBody | undefined;
  if (streamed?.complete === false) reply.header('connection', 'close');
  return {
    method: request.method,
    path: pathname.slice(prefix.length) || '/',
    query: new URLSearchParams(query === -1 ? '' : request.url.slice(query + 1)),
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body: streamed?.body ?? { kind: 'none' },
    ip: request.ip ?? null,
    basePath: prefix,
  };
}

function send(reply: FastifyReply, response: HttpResponse): FastifyReply {
  reply.code(response.status).headers(response.headers);
  if (response.body === undefined) return reply.send();
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(response.body));
}
