import { AuthError } from '../core/errors.js';
import type { AccessTokenClaims } from '../core/internal/tokens/access-token.js';
import type { Route } from './route.js';

/**
 * The routes a support session's token (one carrying RFC 8693 `act`) may call: reading the account,
 * its sessions, logins and passkeys, resending the verification mail, and editing the profile's name
 * (`PATCH /account` reaches only the name and `allowSupportLogin`). Everything else an account can do
 * is refused: changing the password (`POST /account/password`), the factors (TOTP, recovery codes,
 * phone, email and SMS codes, passkeys), deleting or panic-locking the account, revoking its sessions,
 * and every admin route (roles, email, another support session; `authorizeAdmin` refuses `act` too).
 * An allowlist, so a credential route added later is refused to support tokens until it is listed here.
 */
const SUPPORT_ROUTES = new Set([
  'GET /account',
  'PATCH /account',
  'GET /account/sessions',
  'GET /account/logins',
  'GET /account/webauthn/credentials',
  'POST /account/email/verification',
]);

/**
 * Refuses a support session's token on every route but {@link SUPPORT_ROUTES}: the one place that keeps
 * a support session from changing credentials, factors, roles or email, checked by `handleRoute`.
 *
 * @throws AuthError `forbidden`
 */
export function refuseSupportToken(route: Route, claims: AccessTokenClaims): void {
  if (claims.act === undefined || servesSupportTokens(route)) return;
  throw new AuthError('forbidden', 'A support session cannot do this.');
}

/**
 * Whether a support session's token may call the route (one of {@link SUPPORT_ROUTES}); every other
 * authenticated route answers it 403 `forbidden`, as the OpenAPI document says.
 *
 * @example
 * ```ts
 * servesSupportTokens(route) // true for GET /account, false for POST /account/password
 * ```
 */
export function servesSupportTokens(route: Route): boolean {
  return route.auth === 'account' && SUPPORT_ROUTES.has(`${route.method} ${route.path}`);
}
