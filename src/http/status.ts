import { AuthError, type AuthErrorCode } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import type { HttpResponse } from './types.js';
import { MethodNotAllowedError } from './method-not-allowed.js';

/** The one place an error code becomes an HTTP status. A new code without a status does not compile. */
export const STATUS_BY_CODE = {
  validation_failed: 400,
  invalid_token: 400,
  payload_too_large: 413,
  invalid_credentials: 401,
  two_factor_required: 401,
  invalid_two_factor: 401,
  unauthenticated: 401,
  refresh_token_reused: 401,
  refresh_token_stale: 401,
  forbidden: 403,
  two_factor_setup_required: 403,
  email_not_verified: 403,
  registration_closed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  account_locked: 423,
  rate_limited: 429,
  mail_delivery_failed: 503,
  sms_delivery_failed: 503,
  unavailable: 503,
  internal_error: 500,
} as const satisfies Record<AuthErrorCode, number>;

/**
 * The headers of every answer of latchkey's routes and guards, over the answer's own: the one place
 * they are set. `no-store` because tokens and accounts must never sit in a cache (RFC 6749 §5.1); an
 * answer may set its own `Cache-Control` (the public JWKS does). `nosniff` so that no browser reads a
 * JSON body as a script or a page, `no-referrer` so that no URL leaks onwards; these two always win.
 *
 * @example
 * ```ts
 * withSecurityHeaders({ 'cache-control': 'public, max-age=300' })
 * ```
 */
export function withSecurityHeaders(headers: Record<string, string> = {}): Record<string, string> {
  return {
    'cache-control': 'no-store',
    ...headers,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/** Turns anything thrown into the contract's error body; unknown errors are logged and hidden. */
export function errorResponse(error: unknown, logger: Logger): HttpResponse {
  const known = error instanceof AuthError ? error : undefined;
  if (!known) {
    logger.error('unexpected error while handling a request', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
  const { code, message, details, retryAfter, extra }: AuthError =
    known ?? new AuthError('internal_error', 'Something went wrong on our side.');
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  if (code === 'unauthenticated') headers['www-authenticate'] = 'Bearer';
  if (error instanceof MethodNotAllowedError) headers.allow = error.allow;
  return {
    status: STATUS_BY_CODE[code],
    headers: withSecurityHeaders(headers),
    body: { error: { code, message, ...(details ? { details } : {}) }, ...extra },
  };
}

/**
 * The OAuth error codes (RFC 6749 §5.2, RFC 6750 §3.1) that latchkey's codes become on OAuth routes
 * (`route.oauth`); codes without an OAuth counterpart keep their own name.
 */
const OAUTH_ERROR_BY_CODE: Partial<Record<AuthErrorCode, string>> = {
  validation_failed: 'invalid_request',
  payload_too_large: 'invalid_request',
  unauthenticated: 'invalid_token',
  forbidden: 'insufficient_scope',
  internal_error: 'server_error',
  unavailable: 'temporarily_unavailable',
};

/**
 * The `error` of an OAuth error body (RFC 6749 §5.2) for one of latchkey's codes: its OAuth
 * counterpart, or the code itself where OAuth has none.
 *
 * @example
 * ```ts
 * oauthErrorCode('validation_failed') // 'invalid_request'
 * oauthErrorCode('rate_limited') // 'rate_limited'
 * ```
 */
export function oauthErrorCode(code: AuthErrorCode): string {
  return OAUTH_ERROR_BY_CODE[code] ?? code;
}

/**
 * Turns anything thrown into an OAuth error body (`{ error, error_description }`, RFC 6749 §5.2), for
 * the routes OAuth clients call. The status is the contract's, from {@link STATUS_BY_CODE}; a refused
 * bearer token also says so in `WWW-Authenticate` (RFC 6750 §3); `request.credentials` false (no
 * `Authorization` header at all) gets the bare `Bearer` challenge.
 *
 * @example
 * ```ts
 * oauthErrorResponse(new AuthError('validation_failed', 'The request body is not valid.'), logger)
 * // { status: 400, body: { error: 'invalid_request', error_description: 'The request body is not valid.' } }
 * ```
 */
export function oauthErrorResponse(error: unknown, logger: Logger, request: { credentials: boolean } = { credentials: true }): HttpResponse {
  const contract = errorResponse(error, logger);
  const { code, message } = (contract.body as { error: { code: AuthErrorCode; message: string } }).error;
  const oauthError = oauthErrorCode(code);
  const headers = { ...contract.headers };
  // RFC 6750 §3.1: a request that carried no credentials at all gets the bare challenge, without an error.
  const bare = code === 'unauthenticated' && !request.credentials;
  if (code === 'unauthenticated' || code === 'forbidden') headers['www-authenticate'] = bare ? 'Bearer' : `Bearer error="${oauthError}"`;
  return { status: contract.status, headers, body: { error: oauthError, error_description: message } };
}
