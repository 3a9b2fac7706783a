import type { Auth } from '../../core/auth.js';
import type { CreateClient, TestRequestInit, TestResponse } from '../http-client.js';

/** One request the HTTP conformance suite sent, and the answer it got. */
export interface HttpExchange {
  /** The auth instance the request went to: its options say what the mount serves (passkeys …). */
  auth: Auth;
  /** Whether the mount is in multi-group mode. */
  groups: boolean;
  /** The method sent (`POST`). */
  method: string;
  /** The full path sent, query string included (`/auth/login`). */
  path: string;
  /** The body and headers sent. */
  request: TestRequestInit;
  /** The answer. */
  response: TestResponse;
}

/**
 * Wraps a {@link CreateClient} so that every answer of its clients goes through `observe` before the
 * test sees it; an exception from `observe` fails the request, and so the test that sent it.
 *
 * @example
 * ```ts
 * const createClient = observeExchanges(fetchCreateClient, ({ response }) => assert(response.status < 500))
 * ```
 */
export function observeExchanges(
  createClient: CreateClient,
  observe: (exchange: HttpExchange) => void | Promise<void>,
): CreateClient {
  return async (auth, options) => {
    const client = await createClient(auth, options);
    return {
      async request(method, path, request = {}) {
        const response = await client.request(method, path, request);
        await observe({ auth, groups: options.groups, method, path, request, response });
        return response;
      },
      close: () => client.close(),
    };
  };
}
