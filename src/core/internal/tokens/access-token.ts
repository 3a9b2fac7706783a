import { SignJWT } from 'jose';
import type { AuthContext } from '../../context.js';
import { newId } from '../../lib/ids.js';
import type { SessionRecord } from '../../ports.js';
import { groupPolicy } from '../groups/group-policy.js';

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
  /**
   * RFC 8693 actor: present only on a support session's token, naming the administrator acting as the
   * account. Such a token never administers, nor changes a credential, factor, role or email.
   */
  act?: { sub: string };
}

/** What {@link issueAccessToken} may change from a normal session's token. */
export interface AccessTokenOptions {
  /** Lifetime in seconds (default: the group's `accessTokenTtl` setting, else the option). */
  ttl?: number;
  /** The RFC 8693 `act` claim of a support session. */
  act?: { sub: string };
}

/** Signs an access token for a session with the group's current key. */
export async function issueAccessToken(
  ctx: AuthContext,
  session: SessionRecord,
  options: AccessTokenOptions = {},
): Promise<string> {
  const { key, privateKey } = await ctx.keys.current(session.group);
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  const act = options.act ? { act: { sub: options.act.sub } } : {};
  return new SignJWT({ grp: session.group, sid: session.id, amr: session.amr, ...act })
    .setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.id })
    .setIssuer(ctx.options.issuer)
    .setAudience(ctx.options.audience)
    .setSubject(session.accountId)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttl ?? (await groupPolicy(ctx, session.group)).accessTokenTtl))
    .setJti(newId('jti'))
    .sign(privateKey);
}
