/**
 * `latchkey/express`: the latchkey routes registered natively on an Express router
 * ({@link createAuthRouter}), which reads the body `express.json()` already parsed or reads it itself,
 * and the {@link requireAuth} middleware, which types `req.auth` for the app's own routes. Only this
 * entry loads Express, an optional peer dependency.
 *
 * @module latchkey/express
 */
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Auth } from '../core/create-auth.js';
import { AuthError } from '../core/errors.js';
import { bodyLimitOf } from './body-limit.js';
import { dispatch } from './dispatch.js';
import { bodyFromParserError, readExpressBody } from './express-body.js';
import { guard, type RequestAuth, type RequireAuthOptions } from './guard.js';
import { frameworkPath, runMatchedRoute } from './native-routes.js';
import { routes } from './routes.js';
import { errorResponse } from './status.js';
import { DEFAULT_BODY_LIMIT, type HttpOptions, type HttpRequest, type HttpResponse, type RequestBody } from './types.js';

export type { RequestAuth, RequireAuthOptions } from './guard.js';
export type { HttpOptions } from './types.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * The verified token and its account, set by latchkey's `requireAuth` on every route behind it
       * (on a route without it, this is undefined: put the guard before the handler).
       */
      auth: RequestAuth;
    }
  }
}

/**
 * The latchkey routes as an Express router, plus the error middleware that turns the host's
 * `express.json()` failures (malformed JSON, too large) into contract errors. `app.use` takes the pair.
 * Works with or without `express.json()`; when it is installed, mount the pair in the same app or router
 * that runs it (Express never passes an error down into a nested router).
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { createAuthRouter } from 'latchkey/express'
 *
 * const app = express()
 * app.use('/auth', createAuthRouter(auth)) // POST /auth/login, GET /auth/account …
 * ```
 */
export function createAuthRouter(auth: Auth, options: HttpOptions = {}): [Router, ErrorRequestHandler] {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const router = express.Router({ caseSensitive: true, strict: false });
  const serve =
    (run: (request: HttpRequest, params: Record<string, string>) => Promise<HttpResponse>, bodyLimit = limit): RequestHandler =>
    (req, res, next) => {
      readExpressBody(req, bodyLimit)
        .then(({ body, complete }) => {
          if (!complete) res.set('connection', 'close'); // the rest of the body is left unread
          return run(toHttpRequest(req, body), req.params as Record<string, string>);
        })
        .then(
          (reply) => send(res, reply),
          (error: unknown) => (req.destroyed ? undefined : next(error)), // the client went away mid-body
        );
    };
  for (const route of routes) {
    const method = route.method.toLowerCase() as Lowercase<typeof route.method>;
    const path = frameworkPath(route, options.groups ?? false);
    router[method](path, serve((request, params) => runMatchedRoute(auth, route, params, request), bodyLimitOf(route, limit)));
  }
  // Anything else under the mount: the route table's own matching answers 404/405 (or a near match).
  router.use(serve((request) => dispatch(auth, request, options)));
  const onError: ErrorRequestHandler = (error, req, res, next) => {
    const body = bodyFromParserError(error);
    if (body) return void dispatch(auth, toHttpRequest(req, body), options).then((reply) => send(res, reply), next);
    // A malformed %-escape in a path parameter: the fetch handler calls that path unknown.
    const known = error instanceof URIError ? new AuthError('not_found', 'No such route.') : error;
    if (res.headersSent) return next(error);
    send(res, errorResponse(known, auth.logger));
  };
  router.use(onError);
  // Outside the router: only body-parser failures; the host's own errors go on to its handlers.
  const onParserError: ErrorRequestHandler = (error, req, res, next) =>
    bodyFromParserError(error) ? onError(error, req, res, next) : next(error);
  return [router, onParserError];
}

/**
 * Middleware for the host app's own routes: verifies the bearer token, loads the account and sets
 * `req.auth = { claims, account }`. Otherwise it answers the contract's 401 `unauthenticated`.
 *
 * @example
 * ```ts
 * import { requireAuth } from 'latchkey/express'
 *
 * app.get('/me', requireAuth(auth), (req, res) => res.json({ id: req.auth.account.id }))
 * ```
 */
export function requireAuth(auth: Auth, options: RequireAuthOptions = {}): RequestHandler {
  return (req, res, next) => {
    guard(auth, req.headers.authorization, options).then(
      (state) => ((req.auth = state), next()),
      (error: unknown) => send(res, errorResponse(error, auth.logger)),
    );
  };
}

function toHttpRequest(req: Request, body: RequestBody): HttpRequest {
  const query = req.url.indexOf('?');
  return {
    method: req.method,
    path: req.path,
    query: new URLSearchParams(query === -1 ? '' : req.url.slice(query + 1)),
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body,
    ip: req.ip ?? null,
    basePath: req.baseUrl,
  };
}

/** Writes the reply as every adapter does (no ETag: answers are `no-store`). */
function send(res: Response, reply: HttpResponse): void {
  res.status(reply.status).set(reply.headers);
  if (reply.body === undefined) return void res.end();
  res.set('content-type', 'application/json; charset=utf-8').end(JSON.stringify(reply.body));
}
