import type { AccountResource } from '../core/internal/accounts/account-resource.js';
import type { Auth } from '../core/create-auth.js';
import { DEFAULT_GROUP } from '../core/context.js';
import { AuthError } from '../core/errors.js';
import type { AccessTokenClaims } from '../core/internal/tokens/access-token.js';
import { authenticate } from './authenticate.js';
import { TWO_FACTOR_SETUP_REQUIRED } from './two-factor-setup.js';

/** What a guard attaches to a request of the host app once the bearer token checks out. */
export interface RequestAuth {
  claims: AccessTokenClaims;
  account: AccountResource;
}

/** Options of every framework's `requireAuth`. */
export interface RequireAuthOptions {
  /**
   * Refuse tokens of revoked or ended sessions (default true: the session is read together with the
   * account, in one indexed read). `false` trusts the token until it expires; the account is still
   * loaded, so a deleted or locked account is refused.
   */
  checkRevocation?: boolean;
  /** The group the token must belong to (default `default`). */
  group?: string;
}

/**
 * Verifies the `Authorization` header and loads the account, in one storage read (the session and its
 * account together; the account alone with `checkRevocation: false`): the work of every framework's
 * guard. A token held for two-factor setup (its group's settings have `requireTwoFactor` and the
 * account has no second factor yet) is refused too: the app's own routes are not setup routes.
 *
 * @throws AuthError `unauthenticated` (missing, invalid, expired or revoked token; account gone, locked or
 * deleted), `two_factor_setup_required`
 */
export async function guard(
  auth: Auth,
  authorization: string | undefined,
  options: RequireAuthOptions = {},
): Promise<RequestAuth> {
  const group = options.group ?? DEFAULT_GROUP;
  const checkRevocation = options.checkRevocation ?? true;
  const { claims, account } = await authenticate(auth, authorization, { group, checkRevocation });
  if (!account || account.state.status !== 'active') throw gone();
  if (await auth.twoFactorSetupRequired({ group, claims })) {
    throw new AuthError('two_factor_setup_required', TWO_FACTOR_SETUP_REQUIRED);
  }
  return { claims, account };
}

function gone(): AuthError {
  return new AuthError('unauthenticated', 'The access token is missing, invalid, expired or revoked.');
}
