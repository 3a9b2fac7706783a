import type { AuthContext } from '../context.js';
import { checkAccessToken, type VerifyAccessTokenOptions } from '../internal/tokens/check-access-token.js';
import type { AccessTokenClaims } from '../internal/tokens/access-token.js';

export type { VerifyAccessTokenOptions } from '../internal/tokens/check-access-token.js';

/** The `verifyAccessToken` operation of `Auth`: the one place its documentation lives. */
export const verifyAccessTokenOperation = {
  /**
   * Verifies an access token: signature with the group's key (algorithm pinned per key, so `alg: none`
   * and algorithm swaps fail), `typ: at+jwt`, issuer, audience, expiry, group; then, by default, that its
   * session is still alive.
   *
   * @throws AuthError `unauthenticated` for anything wrong, with no detail of what
   * @example
   * ```ts
   * const claims = await auth.verifyAccessToken(bearer)
   * const stateless = await auth.verifyAccessToken(bearer, { checkRevocation: false })
   * ```
   */
  verifyAccessToken,
};

/** See {@link verifyAccessTokenOperation}. */
export async function verifyAccessToken(
  ctx: AuthContext,
  token: string,
  options: VerifyAccessTokenOptions = {},
): Promise<AccessTokenClaims> {
  return checkAccessToken(ctx, token, options);
}
