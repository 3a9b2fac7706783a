/**
 * Every failure a caller can act on carries one of these stable codes. The HTTP layer maps each code to
 * a status in one table (`src/http/status.ts`); the core never knows about HTTP.
 */
export type AuthErrorCode =
  | 'validation_failed'
  | 'payload_too_large'
  | 'invalid_credentials'
  | 'two_factor_required'
  | 'invalid_two_factor'
  | 'unauthenticated'
  | 'invalid_token'
  | 'refresh_token_reused'
  | 'refresh_token_stale'
  | 'forbidden'
  | 'email_not_verified'
  | 'registration_closed'
  | 'account_locked'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'rate_limited'
  | 'mail_delivery_failed'
  | 'sms_delivery_failed'
  | 'internal_error';

/** One validation problem: `path` is dotted (`name.first`), empty for the whole body. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export interface AuthErrorOptions {
  details?: ErrorDetail[];
  /** Seconds a throttled caller should wait (`rate_limited`). */
  retryAfter?: number;
  /** Extra fields placed beside `error` in an HTTP body (e.g. `methods`, `challenge`). */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error class of latchkey. Switch on `code`, never on `message`: messages are for people and
 * never contain tokens, codes or passwords.
 *
 * @example
 * ```ts
 * try { await auth.login({ email, password }) }
 * catch (e) { if (isAuthError(e) && e.code === 'rate_limited') wait(e.retryAfter) }
 * ```
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;
  readonly details: ErrorDetail[] | undefined;
  readonly retryAfter: number | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: AuthErrorCode, message: string, options: AuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
    this.extra = options.extra;
  }
}

/**
 * Narrows an unknown thrown value to an {@link AuthError}, optionally of one code.
 *
 * @example
 * ```ts
 * if (isAuthError(err, 'conflict')) { ... }
 * ```
 */
export function isAuthError(value: unknown, code?: AuthErrorCode): value is AuthError {
  return value instanceof AuthError && (code === undefined || value.code === code);
}
