import { errors, jwtVerify, type JWTHeaderParameters } from 'jose';
import type { AuthContext } from '../../context.js';
import { DEFAULT_GROUP } from '../../context.js';
import { AuthError } from '../../errors.js';
import type { SessionRecord } from '../../ports.js';
import { isSessionAlive } from '../sessions/session-alive.js';
import { groupPolicy } from '../groups/group-policy.js';
import type { AccessTokenClaims } from './access-token.js';
import type { LoadedKey } from './signing-keys.js';
import { copyClaims, type VerifiedToken } from './verified-tokens.js';

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
  const claims = await verifyAccessTokenJwt(ctx, token, group);
  if (options.checkRevocation ?? true) {
    await refuseDeadSession(ctx, group, claims, await ctx.storage.sessions.findById(group, claims.sid));
  }
  return claims;
}

/**
 * The stateless part of every access token check, with no storage read: the signature with the
 * group's key (algorithm pinned per key), `typ: at+jwt`, issuer, audience, expiry, the claims latchkey
 * relies on, and the group. A token this instance verified before (`ctx.verifiedTokens`)
 * skips the signature check; what changes with time is checked again on every use.
 *
 * @throws AuthError `unauthenticated`
 */
export async function verifyAccessTokenJwt(ctx: AuthContext, token: string, group: string): Promise<AccessTokenClaims> {
  const known = ctx.verifiedTokens.get(group, token);
  if (known) {
    if (await stillValid(ctx, group, known)) return copyClaims(known.claims);
    ctx.verifiedTokens.delete(group, token);
    throw unauthenticated();
  }
  let claims: AccessTokenClaims;
  let key: LoadedKey | undefined;
  try {
    const result = await jwtVerify<AccessTokenClaims>(
      token,
      async (header: JWTHeaderParameters) => {
        key = header.kid ? await ctx.keys.find(group, header.kid) : undefined;
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
  ctx.verifiedTokens.set(group, token, { kid: key!.id, alg: key!.alg, claims });
  return claims;
}

/**
 * Whether a token verified before still passes the checks that change with time, as `jwtVerify` makes
 * them: not expired (`exp` after now), not before its `nbf`, and its key still published; and that it
 * is the group's.
 */
async function stillValid(ctx: AuthContext, group: string, known: VerifiedToken): Promise<boolean> {
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  const { exp, nbf, grp } = known.claims as AccessTokenClaims & { nbf?: number };
  // The cache is keyed by group already; the claim is checked again so that no key change can mix groups.
  if (grp !== group || exp <= now || (nbf !== undefined && nbf > now)) return false;
  const key = await ctx.keys.find(group, known.kid);
  return key !== undefined && key.alg === known.alg;
}

/**
 * The revocation check of a verified token, on the session its `sid` names (null when there is none):
 * the session must exist, belong to the token's account and be alive.
 *
 * @throws AuthError `unauthenticated`
 */
export async function refuseDeadSession(
  ctx: AuthContext,
  group: string,
  claims: AccessTokenClaims,
  session: SessionRecord | null,
): Promise<void> {
  if (!session || session.accountId !== claims.sub) throw unauthenticated();
  // The group's idle timeout, from the group cache: no storage read while it is fresh.
  if (!isSessionAlive(ctx, session, await groupPolicy(ctx, group))) throw unauthenticated();
}

function unauthenticated(): AuthError {
  return new AuthError('unauthenticated', 'The access token is missing, invalid, expired or revoked.');
}
