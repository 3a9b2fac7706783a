import type { Auth } from '../core/auth.js';
import { AuthError } from '../core/errors.js';
import type { AccessTokenClaims } from '../core/internal/tokens/access-token.js';
import type { Route } from './route.js';

/**
 * The routes a token held for two-factor setup may call (a group with `requireTwoFactor`, an account
 * with no second factor yet, see `auth.twoFactorSetupRequired`): reading the account, setting up a
 * factor (TOTP enrolment and confirmation, recovery codes, a phone, email or SMS codes, passkeys),
 * verifying the email address, the panic lock, and the sessions (list, revoke). `POST /logout` needs no
 * access token. An allowlist, so a route added later is held back until it is listed here.
 */
const SETUP_ROUTES = new Set([
  'GET /account',
  'POST /account/email/verification',
  'POST /account/two-factor/totp',
  'POST /account/two-factor/totp/verify',
  'PUT /account/recovery-codes',
  'POST /account/phone',
  'POST /account/otp/send',
  'POST /account/otp/verify',
  'POST /account/webauthn/register/options',
  'POST /account/webauthn/register/verify',
  'GET /account/webauthn/credentials',
  'GET /account/sessions',
  'DELETE /account/sessions/{id}',
  'DELETE /account/sessions',
  'PUT /account/panic',
]);

/** The message of `two_factor_setup_required`, also used by the guards. */
export const TWO_FACTOR_SETUP_REQUIRED = 'This group requires a second factor: set one up to continue.';

/**
 * Refuses a token held for two-factor setup on every route but {@link SETUP_ROUTES}: the one place that
 * keeps such a session to the setup routes, checked by `handleRoute`. Costs no storage read in a group
 * without `requireTwoFactor` (the group's policy is cached) nor for a session opened with two factors.
 *
 * @throws AuthError `two_factor_setup_required`
 * @example
 * ```ts
 * await refuseUntilTwoFactorSetUp(auth, route, group, claims)
 * ```
 */
export async function refuseUntilTwoFactorSetUp(
  auth: Auth,
  route: Route,
  group: string,
  claims: AccessTokenClaims,
): Promise<void> {
  if (servesTwoFactorSetup(route)) return;
  if (await auth.twoFactorSetupRequired({ group, claims })) {
    throw new AuthError('two_factor_setup_required', TWO_FACTOR_SETUP_REQUIRED);
  }
}

/**
 * Whether a token held for two-factor setup may call the route (one of {@link SETUP_ROUTES}); every
 * other authenticated route answers it 403 `two_factor_setup_required`, as the OpenAPI document says.
 *
 * @example
 * ```ts
 * servesTwoFactorSetup(route) // true for POST /account/two-factor/totp, false for GET /accounts
 * ```
 */
export function servesTwoFactorSetup(route: Route): boolean {
  return route.auth === 'account' && SETUP_ROUTES.has(`${route.method} ${route.path}`);
}
