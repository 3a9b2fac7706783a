import type { AuthErrorCode } from '../../core/errors.js';
import type { Route } from '../route.js';
import { STATUS_BY_CODE } from '../status.js';
import { servesSupportTokens } from '../support-token.js';
import { servesTwoFactorSetup } from '../two-factor-setup.js';
import type { OpenApiMount } from './mount.js';

/**
 * Every error code a route can answer on a mount: its own (`route.errors`), and those of its kind,
 * which `handleRoute` and the body reader raise for every such route: a bad body or query
 * (`validation_failed`, `payload_too_large`), a missing or refused token (`unauthenticated`; `forbidden`
 * for a support session's token or a non-admin; `two_factor_setup_required` for a token held for
 * setup), an unknown group in multi-group mode (`not_found`), the database out of reach
 * (`unavailable`, 503 with `Retry-After`) and `internal_error`. In the order of the status table.
 *
 * @example
 * ```ts
 * routeErrors(logoutRoute, mount) // ['validation_failed', 'payload_too_large', 'rate_limited', 'unavailable', 'internal_error']
 * ```
 */
export function routeErrors(route: Route, mount: OpenApiMount): AuthErrorCode[] {
  const codes = new Set<AuthErrorCode>([...route.errors, 'unavailable', 'internal_error']);
  if (route.method !== 'GET') codes.add('validation_failed').add('payload_too_large');
  if (route.query) codes.add('validation_failed');
  if (route.auth !== 'none') {
    codes.add('unauthenticated');
    if (!servesSupportTokens(route)) codes.add('forbidden');
    if (!servesTwoFactorSetup(route)) codes.add('two_factor_setup_required');
  }
  if (route.auth === 'admin') codes.add('forbidden');
  if (mount.groups) codes.add('not_found');
  return (Object.keys(STATUS_BY_CODE) as AuthErrorCode[]).filter((code) => codes.has(code));
}
