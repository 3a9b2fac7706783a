import { errors, jwtVerify, type JWTHeaderParameters } from 'jose';
import type { AuthContext } from '../../context.js';
import { DEFAULT_GROUP } from '../../context.js';
import { AuthError } from '../../errors.js';
import { isSessionAlive } from '../sessions/session-alive.js';
import { groupPolicy } from '../groups/group-policy.js';
import type { AccessTokenClaims } from './access-token.js';

/** How `auth.verifyAccessToken` checks a token: in which group, and whether its session must still be alive. */
export interface VerifyAccessTokenOptions {
  /** The group the token must belong to (default `default`). */
  group?: string;
  /**
   * Whether to look up the session and refuse a revoked or ended one (default true: one indexed read).
   * `false` gives a purely stateless check that trusts the token until it expires.
   */
  checkRevocation?: boolean;
}

/**
 * The check behind `auth.verifyAccessToken` (see `verifyAccessTokenOperation`), for operations that
 * read a token themselves (revocation).
 *
 * @throws AuthError `unauthenticated`
 */
export async function checkAccessToken(
  ctx: AuthContext,
  token: string,
  options: VerifyAccessTokenOptions = {},
): Promise<AccessTokenClaims> {
  const group = options.group ?? DEFAULT_GROUP;
  let claims: AccessTokenClaims;
  try {
    const result = await jwtVerify<AccessTokenClaims>(
      token,
      async (header: JWTHeaderParameters) => {
        const key = header.kid ? await ctx.keys.find(group, header.kid) : undefined;
        if (!key || key.alg !== header.alg) throw new errors.JWKSNoMatchingKey();
        return key.publicKey;
      },
      {
        issuer: ctx.options.issuer,
        audience: ctx.options.audience,
        typ: 'at+jwt',
        currentDate: ctx.clock.now(),
        requiredClaims: ['sub', 'sid', 'grp', 'iat', 'exp'],
      },
    );
    claims = result.payload;
  } catch (error) {
    if (error instanceof errors.JOSEError) throw unauthenticated();
    throw error;
  }
  if (claims.grp !== group || typeof claims.sid !== 'string' || !Array.isArray(claims.amr)) throw unauthenticated();
  if (options.checkRevocation ?? true) {
    const session = await ctx.storage.sessions.findById(group, claims.sid);
    if (!session || session.accountId !== claims.sub) throw unauthenticated();
    // The group's idle timeout, from the group cache: no storage read while it is fresh.
    if (!isSessionAlive(ctx, session, await groupPolicy(ctx, group))) throw unauthenticated();
  }
  return claims;
}

function unauthenticated(): AuthError {
  return new AuthError('unauthenticated', 'The access token is missing, invalid, expired or revoked.');
}
