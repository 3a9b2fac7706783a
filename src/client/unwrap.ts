import { errorFromAnswer } from './errors.js';

/**
 * The `data` of a passthrough call's result, or its error thrown as a `LatchkeyClientError`: for code
 * that would rather `try`/`catch` than look at `{ data, error }`. Empty answers (202, 204) give
 * `undefined`.
 *
 * @throws LatchkeyClientError with the answer's `code`, `status`, `details`, `retryAfter` and extra fields
 * @example
 * ```ts
 * const { data: sessions } = unwrap(await client.GET('/account/sessions'))
 * ```
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok) throw errorFromAnswer(result.response, result.error);
  return result.data as T;
}
