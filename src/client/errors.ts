import type { AuthErrorCode } from '../core/errors.js';

/**
 * The `code` of a {@link LatchkeyClientError}: one of the server's stable codes (docs/http-api.md), or one
 * of the client's own: `network_error` (no answer at all: offline, DNS, CORS, connection reset) and
 * `http_error` (an answer that is not latchkey's error body, e.g. a proxy's 502 page).
 */
export type LatchkeyClientErrorCode = AuthErrorCode | 'network_error' | 'http_error';

/** One validation problem of a `validation_failed` answer: `path` is dotted (`name.first`). */
export interface LatchkeyErrorDetail {
  path: string;
  message: string;
}

/** What a {@link LatchkeyClientError} is made with beside its code and message. */
export interface LatchkeyClientErrorOptions {
  /** The HTTP status (0 when there was no answer). */
  status: number;
  details?: LatchkeyErrorDetail[] | undefined;
  /** Seconds to wait, from `Retry-After` (`rate_limited`). */
  retryAfter?: number | undefined;
  /** The fields beside `error` in the body, e.g. `methods` and `challenge` of `two_factor_required`. */
  extra?: Record<string, unknown> | undefined;
  cause?: unknown;
}

/**
 * Every failure of `latchkey/client`: a stable `code` to `switch` on, the HTTP `status`, the server's
 * `message`, its validation `details`, `retryAfter` when the server gave one, and the server's `extra`
 * fields. Messages never contain tokens.
 *
 * @example
 * ```ts
 * try {
 *   await client.account()
 * } catch (error) {
 *   if (error instanceof LatchkeyClientError && error.code === 'rate_limited') wait(error.retryAfter)
 * }
 * ```
 */
export class LatchkeyClientError extends Error {
  override readonly name = 'LatchkeyClientError';
  readonly code: LatchkeyClientErrorCode;
  readonly status: number;
  readonly details: LatchkeyErrorDetail[];
  readonly retryAfter: number | undefined;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: LatchkeyClientErrorCode, message: string, options: LatchkeyClientErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.details = options.details ?? [];
    this.retryAfter = options.retryAfter;
    this.extra = options.extra ?? {};
  }
}

/**
 * Whether `error` is a {@link LatchkeyClientError}, optionally of one `code`.
 *
 * @example
 * ```ts
 * if (isLatchkeyClientError(error, 'refresh_token_reused')) showSignIn('Your session was ended.')
 * ```
 */
export function isLatchkeyClientError(error: unknown, code?: LatchkeyClientErrorCode): error is LatchkeyClientError {
  return error instanceof LatchkeyClientError && (code === undefined || error.code === code);
}

/**
 * The error of a non-2xx answer, from its parsed body (what openapi-fetch hands back as `error`): the
 * contract's `{ error: { code, message, details? }, ...extra }`, or `http_error` for any other body.
 *
 * @example
 * ```ts
 * const { data, error, response } = await api.POST('/login', { body })
 * if (error !== undefined) throw errorFromAnswer(response, error)
 * ```
 */
export function errorFromAnswer(response: Response, body: unknown): LatchkeyClientError {
  const seconds = Number(response.headers.get('retry-after') ?? NaN);
  const retryAfter = Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
  if (isErrorBody(body)) {
    const { error, ...extra } = body;
    return new LatchkeyClientError(error.code as LatchkeyClientErrorCode, error.message, {
      status: response.status,
      details: error.details,
      retryAfter,
      extra,
    });
  }
  const answered = [response.status, response.statusText].filter(Boolean).join(' ');
  return new LatchkeyClientError('http_error', `The server answered ${answered}.`, {
    status: response.status,
    retryAfter,
  });
}

/**
 * The error of a request that got no answer.
 *
 * @example
 * ```ts
 * try { return await fetch(request) } catch (cause) { throw networkError(cause) }
 * ```
 */
export function networkError(cause: unknown): LatchkeyClientError {
  return new LatchkeyClientError('network_error', 'The server could not be reached.', { status: 0, cause });
}

function isErrorBody(body: unknown): body is { error: { code: string; message: string; details?: LatchkeyErrorDetail[] } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const { error } = body as { error: unknown };
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}
