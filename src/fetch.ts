/**
 * `latchkey/fetch`: latchkey's HTTP API as a web-standard `(Request) => Promise<Response>` handler, for
 * Bun, Deno, Cloudflare Workers and any framework that serves fetch handlers.
 *
 * @module latchkey/fetch
 */
export {
  createAuthHandler,
  createFetchHandler,
  type FetchHandler,
  type FetchHandlerOptions,
  type FetchRequestInfo,
} from './http/fetch-handler.js';
export type { HttpOptions } from './http/types.js';
export type { TrustProxy } from './http/client-ip.js';
