import type { Auth } from '../core/create-auth.js';
import { AuthError } from '../core/errors.js';
import type { AuthenticateResult } from '../core/tokens/authenticate.js';
import type { VerifyAccessTokenOptions } from '../core/tokens/verify-access-token.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Verifies the `Authorization: Bearer …` header and loads the token's account with its session, in one
 * storage read (`auth.authenticate`). Shared by the route handler and the guards that protect the host
 * app's own routes; the account comes back whatever its status, or null when it is gone, for the caller
 * to judge.
 *
 * @throws AuthError `unauthenticated`
 */
export async function authenticate(
  auth: Auth,
  authorization: string | undefined,
  options: VerifyAccessTokenOptions,
): Promise<AuthenticateResult> {
  const match = authorization && authorization.length <= 8192 ? BEARER.exec(authorization) : null;
  if (!match) throw new AuthError('unauthenticated', 'A bearer access token is required.');
  return auth.authenticate({ ...options, token: match[1]! });
}
