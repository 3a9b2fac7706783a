import { SignJWT } from 'jose';
import type { AuthContext } from '../../context.js';
import { newId } from '../../lib/ids.js';
import type { SessionRecord } from '../../ports.js';

/** The claims of a latchkey access token (RFC 9068 profile, `typ: at+jwt`). */
export interface AccessTokenClaims {
  iss: string;
  aud: string;
  /** Account id. */
  sub: string;
  /** Auth group. */
  grp: string;
  /** Session id: revoking the session kills the token on every check that looks. */
  sid: string;
  /** Authentication methods (`pwd`, `otp`, `hwk` …). */
  amr: string[];
  iat: number;
  exp: number;
  jti: string;
}

/** Signs an access token for a session with the group's current key. */
export async function issueAccessToken(ctx: AuthContext, session: SessionRecord): Promise<string> {
  const { key, privateKey } = await ctx.keys.current(session.group);
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  return new SignJWT({ grp: session.group, sid: session.id, amr: session.amr })
    .setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.id })
    .setIssuer(ctx.options.issuer)
    .setAudience(ctx.options.audience)
    .setSubject(session.accountId)
    .setIssuedAt(now)
    .setExpirationTime(now + ctx.options.accessTokenTtl)
    .setJti(newId('jti'))
    .sign(privateKey);
}
