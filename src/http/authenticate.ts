import type { Auth } from '../core/create-auth.js';
import { AuthError } from '../core/errors.js';
import type { AccessTokenClaims } from '../core/internal/tokens/access-token.js';
import type { VerifyAccessTokenOptions } from '../core/tokens/verify-access-token.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Verifies the `Authorization: Bearer …` header. Shared by the route handler and the guards that
 * protect the host app's own routes.
 *
 * @throws AuthError `unauthenticated`
 */
export async function authenticate(
  auth: Auth,
  authorization: string | undefined,
  options: VerifyAccessTokenOptions,
): Promise<AccessTokenClaims> {
  const match = authorization && authorization.length <= 8192 ? BEARER.exec(authorization) : null;
  if (!match) throw new AuthError('unauthenticated', 'A bearer access token is required.');
  return auth.verifyAccessToken(match[1]!, options);
}
