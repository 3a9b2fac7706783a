import type { TwoFactorMethod } from './internal/accounts/account-resource.js';

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
  | 'two_factor_setup_required'
  | 'email_not_verified'
  | 'registration_closed'
  | 'account_locked'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'rate_limited'
  | 'mail_delivery_failed'
  | 'sms_delivery_failed'
  | 'unavailable'
  | 'internal_error';

/** One validation problem: `path` is dotted (`name.first`), empty for the whole body. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * What an error of each code carries beside `code` and `message`: the payload type follows from the
 * code, as jose's error classes do. Codes not listed carry nothing more (validation problems aside).
 */
export interface AuthErrorPayloads {
  /** The enabled `methods`, and the single-use `challenge` for the second step (none for a reset). */
  two_factor_required: { extra: { methods: TwoFactorMethod[]; challenge?: string } };
  /** Seconds to wait before trying again (the `Retry-After` header). */
  rate_limited: { retryAfter: number };
  /** A service latchkey needs (the database) did not answer: seconds to wait before trying again. */
  unavailable: { retryAfter: number };
}

/** The options an error of code `C` is made with: its payload, and optionally details and a cause. */
export type AuthErrorOptions<C extends AuthErrorCode = AuthErrorCode> = (C extends keyof AuthErrorPayloads
  ? AuthErrorPayloads[C]
  : { retryAfter?: never; extra?: never }) & {
  details?: ErrorDetail[] | undefined;
  cause?: unknown;
};

/**
 * The options argument of the {@link AuthError} constructor: required exactly for the codes that have
 * a payload (see {@link AuthErrorPayloads}), optional for every other code, so a `rate_limited` error
 * cannot be made without its `retryAfter`.
 *
 * @example
 * ```ts
 * new AuthError('conflict', 'An account with this email exists.') // no options needed
 * new AuthError('rate_limited', 'Too many attempts.', { retryAfter: 60 }) // required
 * ```
 */
export type OptionsArgument<C extends AuthErrorCode> = [C] extends [keyof AuthErrorPayloads]
  ? [options: AuthErrorOptions<C>]
  : [options?: AuthErrorOptions<C>];

/**
 * The one error class of latchkey. Switch on `code`, never on `message`: messages are for people and
 * never contain tokens, codes or passwords. The code decides the type of the payload:
 * `AuthError<'rate_limited'>` has `retryAfter: number`, `AuthError<'two_factor_required'>` has
 * `extra: { methods, challenge? }`; {@link isAuthError} with a code narrows to it.
 *
 * @example
 * ```ts
 * try {
 *   await auth.login({ email, password })
 * } catch (e) {
 *   if (isAuthError(e, 'two_factor_required')) askForCode(e.extra.methods, e.extra.challenge)
 *   else if (isAuthError(e, 'rate_limited')) waitSeconds(e.retryAfter)
 *   else throw e
 * }
 * ```
 */
export class AuthError<C extends AuthErrorCode = AuthErrorCode> extends Error {
  override readonly name = 'AuthError';
  /** The stable code (see {@link AuthErrorCode}). */
  readonly code: C;
  /** Validation problems, by field (`validation_failed`). */
  readonly details: ErrorDetail[] | undefined;
  /** Seconds a throttled caller should wait: a number exactly for `rate_limited`. */
  readonly retryAfter: C extends 'rate_limited' ? number : undefined;
  /** Fields the HTTP layer places beside `error` in the body: `{ methods, challenge? }` for `two_factor_required`. */
  readonly extra: C extends 'two_factor_required' ? AuthErrorPayloads['two_factor_required']['extra'] : undefined;

  /**
   * Makes an error of one code. Storage adapters throw `new AuthError('conflict', …)` where a port's
   * contract says so; the core makes the rest.
   *
   * @param message For people, shown in the answer's `message`: never a token, code or password.
   */
  constructor(code: C, message: string, ...[options]: OptionsArgument<C>) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
    const payload = (options ?? {}) as { retryAfter?: number; extra?: AuthErrorPayloads['two_factor_required']['extra'] };
    this.retryAfter = payload.retryAfter as this['retryAfter'];
    this.extra = payload.extra as this['extra'];
  }
}

/** Any latchkey error, as a union by code: `switch (error.code)` narrows the payload. */
export type AnyAuthError = { [C in AuthErrorCode]: AuthError<C> }[AuthErrorCode];

/**
 * Narrows an unknown thrown value to an {@link AuthError}; with a code, to an error of that code (whose
 * payload is then typed).
 *
 * @example
 * ```ts
 * if (isAuthError(err, 'rate_limited')) retryIn(err.retryAfter) // a number
 * ```
 */
export function isAuthError<C extends AuthErrorCode>(value: unknown, code: C): value is AuthError<C>;
export function isAuthError(value: unknown): value is AnyAuthError;
export function isAuthError(value: unknown, code?: AuthErrorCode): boolean {
  return value instanceof AuthError && (code === undefined || value.code === code);
}
