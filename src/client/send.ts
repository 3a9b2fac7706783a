import { networkError } from './errors.js';

/** A `fetch` as openapi-fetch calls it: one `Request` in, its `Response` out. */
export type RequestSender = (request: Request) => Promise<Response>;

/**
 * `fetch` as the client sends: a request that gets no answer fails with a `LatchkeyClientError` of code
 * `network_error` (an abort stays an `AbortError`, as the caller asked for it). Without `fetch`, the
 * global one, looked up at each call so that a polyfill or a test's stub installed later is used.
 *
 * @example
 * ```ts
 * const send = sender(undefined)
 * const response = await send(new Request('https://app.example.com/auth/.well-known/jwks.json'))
 * ```
 */
export function sender(fetch: RequestSender | undefined): RequestSender {
  return async (request) => {
    try {
      return await (fetch ? fetch(request) : globalThis.fetch(request));
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'AbortError') throw error;
      throw networkError(error);
    }
  };
}
