import type { AccountResource } from '../core/internal/accounts/account-resource.js';
import type { Auth } from '../core/create-auth.js';
import { DEFAULT_GROUP } from '../core/context.js';
import { AuthError, isAuthError } from '../core/errors.js';
import type { AccessTokenClaims } from '../core/internal/tokens/access-token.js';
import { authenticate } from './authenticate.js';

/** What a guard attaches to a request of the host app once the bearer token checks out. */
export interface RequestAuth {
  claims: AccessTokenClaims;
  account: AccountResource;
}

/** Options of every framework's `requireAuth`. */
export interface RequireAuthOptions {
  /**
   * Refuse tokens of revoked or ended sessions (default true: one indexed read). `false` trusts the
   * token until it expires; the account is still loaded, so a deleted or locked account is refused.
   */
  checkRevocation?: boolean;
  /** The group the token must belong to (default `default`). */
  group?: string;
}

/**
 * Verifies the `Authorization` header and loads the account: the work of every framework's guard.
 *
 * @throws AuthError `unauthenticated` (missing, invalid, expired or revoked token; account gone, locked or deleted)
 */
export async function guard(
  auth: Auth,
  authorization: string | undefined,
  options: RequireAuthOptions = {},
): Promise<RequestAuth> {
  const group = options.group ?? DEFAULT_GROUP;
  const claims = await authenticate(auth, authorization, { group, checkRevocation: options.checkRevocation ?? true });
  let account: AccountResource;
  try {
    account = await auth.getAccount({ group, accountId: claims.sub });
  } catch (error) {
    if (isAuthError(error, 'not_found')) throw gone();
    throw error;
  }
  if (account.state.status !== 'active') throw gone();
  return { claims, account };
}

function gone(): AuthError {
  return new AuthError('unauthenticated', 'The access token is missing, invalid, expired or revoked.');
}
