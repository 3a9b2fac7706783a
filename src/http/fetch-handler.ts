import type { Auth } from '../core/create-auth.js';
import { dispatch } from './dispatch.js';
import { DEFAULT_BODY_LIMIT, type HttpOptions, type RequestBody } from './types.js';

export interface FetchHandlerOptions extends HttpOptions {
  /** Where the routes are mounted (default `/auth`); requests outside it answer 404. */
  basePath?: string;
  /** Use the first `X-Forwarded-For` address as the client IP (only behind a proxy you run). */
  trustProxy?: boolean;
}

/** Per-request facts the runtime knows and the `Request` does not. */
export interface FetchRequestInfo {
  ip?: string | null;
}

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

  return async (request, info = {}) => {
    const url = new URL(request.url);
    const inside = url.pathname === basePath || url.pathname.startsWith(basePath + '/');
    const path = inside ? url.pathname.slice(basePath.length) || '/' : '\0outside';
    const forwarded = options.trustProxy ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
    const response = await dispatch(
      auth,
      {
        method: request.method.toUpperCase(),
        path,
        query: url.searchParams,
        header: (name) => request.headers.get(name) ?? undefined,
        body: await readText(request, limit),
        ip: forwarded || info.ip || null,
      },
      options,
    );
    const headers = new Headers(response.headers);
    if (response.body === undefined || request.method === 'HEAD') {
      return new Response(null, { status: response.status, headers });
    }
    headers.set('content-type', 'application/json; charset=utf-8');
    return new Response(JSON.stringify(response.body), { status: response.status, headers });
  };
}

/** Reads the body as text, stopping at `limit` bytes without buffering the rest. */
async function readText(request: Request, limit: number): Promise<RequestBody> {
  if (!request.body || request.method === 'GET' || request.method === 'HEAD') return { kind: 'none' };
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) return { kind: 'too_large' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return { kind: 'too_large' };
    }
    chunks.push(value);
  }
  return { kind: 'text', text: new TextDecoder().decode(Buffer.concat(chunks)) };
}
