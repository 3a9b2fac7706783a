import type { Auth } from '../core/create-auth.js';
import { bodyLimitFor } from './body-limit.js';
import { assertTrustProxy, clientIp, type TrustProxy } from './client-ip.js';
import { dispatch } from './dispatch.js';
import { readBodyStream, type StreamedBody } from './read-body.js';
import { DEFAULT_BODY_LIMIT, type HttpOptions } from './types.js';

export interface FetchHandlerOptions extends HttpOptions {
  /** Where the routes are mounted (default `/auth`); requests outside it answer 404. */
  basePath?: string;
  /**
   * Which proxies in front of this handler may say who the client is, in `X-Forwarded-For` (the client
   * IP is what login throttling, OTP send limits and the login history key on). Default `false`: the
   * socket address. `true` or a number `n`: exactly `n` proxies you run sit in front (`true` is one),
   * and the client is the address the outermost of them appended. A list of addresses and CIDRs: the
   * hops in it, from the socket back, are your proxies, and the first address outside it is the client;
   * a request whose socket address is outside the list did not come through a proxy and its header is
   * ignored. Entries further left than that are whatever the client sent and are never trusted, or
   * anyone could pick their own address and step around every per-IP limit. See {@link TrustProxy}.
   *
   * @throws TypeError (from `createFetchHandler`) for a negative or fractional count or an entry that
   * is not an address or CIDR
   */
  trustProxy?: TrustProxy;
}

/** Per-request facts the runtime knows and the `Request` does not. */
export interface FetchRequestInfo {
  ip?: string | null;
}

/**
 * A web-standard handler: takes a `Request` (with the client's address, which a `Request` does not
 * carry) and resolves the `Response`. An error latchkey raises becomes a JSON answer with its status,
 * not a rejection.
 *
 * @example
 * ```ts
 * const handler: FetchHandler = createAuthHandler(auth)
 * Deno.serve((request, info) => handler(request, { ip: info.remoteAddr.hostname }))
 * ```
 */
export type FetchHandler = (request: Request, info?: FetchRequestInfo) => Promise<Response>;

/**
 * The web-standard entry point: `Request → Response`. Serves Hono, Bun, Deno and Workers as it is.
 *
 * @example
 * ```ts
 * const handler = createFetchHandler(auth)
 * Bun.serve({ fetch: (req, server) => handler(req, { ip: server.requestIP(req)?.address }) })
 * ```
 */
export function createFetchHandler(auth: Auth, options: FetchHandlerOptions = {}): FetchHandler {
  const basePath = (options.basePath ?? '/auth').replace(/\/+$/, '');
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  assertTrustProxy(options.trustProxy);

  return async (request, info = {}) => {
    const url = new URL(request.url);
    const inside = url.pathname === basePath || url.pathname.startsWith(basePath + '/');
    const path = inside ? url.pathname.slice(basePath.length) || '/' : '\0outside';
    const socketIp = info.ip || null;
    const ip = clientIp(request.headers.get('x-forwarded-for'), socketIp, options.trustProxy);
    const routeLimit = bodyLimitFor(request.method.toUpperCase(), path, options.groups ?? false, limit);
    const { body, complete } = await readBody(request, routeLimit);
    const response = await dispatch(
      auth,
      {
        method: request.method.toUpperCase(),
        path,
        query: url.searchParams,
        header: (name) => request.headers.get(name) ?? undefined,
        body,
        ip,
        basePath,
      },
      options,
    );
    // A plain object, not `Headers`: what runtimes (and @hono/node-server's light Response) take fastest.
    const headers: Record<string, string> = { ...response.headers };
    if (!complete) headers.connection = 'close';
    if (response.body === undefined || request.method === 'HEAD') {
      return new Response(null, { status: response.status, headers });
    }
    headers['content-type'] = 'application/json; charset=utf-8';
    return new Response(JSON.stringify(response.body), { status: response.status, headers });
  };
}

const NO_BODY: Promise<StreamedBody> = Promise.resolve({ body: { kind: 'none' }, complete: true });

/**
 * Reads the body as text up to `limit` bytes; an over-limit one is read to its end all the same. A body
 * whose Content-Length is within the limit is read in one piece (the runtime holds a body to its
 * Content-Length); any other goes through the counting reader. `request.body` is touched last: it makes
 * some runtimes (@hono/node-server) build a full request object, which most requests never need.
 */
function readBody(request: Request, limit: number): Promise<StreamedBody> {
  if (request.method === 'GET' || request.method === 'HEAD') return NO_BODY;
  const declared = request.headers.get('content-length');
  const length = declared === null || !/^\d{1,15}$/.test(declared) ? undefined : Number(declared);
  if (length !== undefined && length <= limit) return readWhole(request, limit);
  if (!request.body) return NO_BODY;
  return readBodyStream(chunksOf(request.body), limit, length);
}

/**
 * The whole body at once, still held to `limit`: a body that did not come from the wire's framing (a
 * platform that hands over an inflated `rawBody`, a `Request` an app built) may be longer than it says.
 */
async function readWhole(request: Request, limit: number): Promise<StreamedBody> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > limit) return { body: { kind: 'too_large' }, complete: true };
  return { body: { kind: 'text', text: new TextDecoder().decode(bytes) }, complete: true };
}

/** A web stream's chunks, through its reader: not every runtime makes the stream itself iterable. */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
}

/**
 * {@link createFetchHandler}, named like the other frameworks' mount helpers (`createAuthApp`,
 * `createAuthRouter`, `createAuthPlugin`).
 *
 * @example
 * ```ts
 * import { createAuthHandler } from 'latchkey/fetch'
 *
 * Bun.serve({ fetch: createAuthHandler(auth) })
 * ```
 */
export const createAuthHandler: typeof createFetchHandler = createFetchHandler;
