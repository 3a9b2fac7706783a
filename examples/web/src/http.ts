// The one place that talks HTTP: JSON in, JSON out, and latchkey's error body turned into ApiError.

export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * A failed call. `code` is latchkey's stable error code (`invalid_credentials`, `two_factor_required`
 * …), or one of the client's own: `network_error` (no answer), `session_ended` (signed out meanwhile).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Fields beside `error` in the body, e.g. `methods` and `challenge` of `two_factor_required`. */
    readonly extra: Record<string, unknown> = {},
    /** Seconds to wait, from `Retry-After` (`rate_limited`). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** `Authorization: Bearer <token>`. */
  token?: string | null;
  /** The `x-otp` header: a step-up proof (authenticator code, recovery code or sent code). */
  otp?: string;
  /** Query string parameters; undefined and null ones are left out. */
  query?: Record<string, string | number | null | undefined>;
}

/**
 * Calls the demo server (same origin) and returns the parsed JSON body, or undefined for an empty one
 * (202, 204).
 *
 * @throws ApiError for any non-2xx answer, and `network_error` when there is no answer at all
 */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.otp) headers['x-otp'] = options.otp;
  let url = path;
  if (options.query) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query)) if (value !== undefined && value !== null) query.set(key, String(value));
    const search = query.toString();
    if (search) url += `?${search}`;
  }

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check that the demo is still running.');
  }

  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;
  throw toApiError(response, body);
}

function toApiError(response: Response, body: unknown): ApiError {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retry = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  if (isErrorBody(body)) {
    const { error, ...extra } = body;
    return new ApiError(response.status, error.code, error.message, error.details ?? [], extra, retry);
  }
  return new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}.`, [], {}, retry);
}

function isErrorBody(body: unknown): body is { error: { code: string; message: string; details?: ErrorDetail[] } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}
