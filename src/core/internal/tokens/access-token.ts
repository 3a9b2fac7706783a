import type { AuthContext } from '../../context.js';
import { toBase64Url, utf8 } from '../../lib/encoding.js';
import { newId } from '../../lib/ids.js';
import type { SessionRecord } from '../../ports.js';
import { groupPolicy } from '../groups/group-policy.js';
import type { AccessTokenClaims } from './access-token-claims.js';

export type { AccessTokenClaims } from './access-token-claims.js';

/** What {@link issueAccessToken} may change from a normal session's token. */
export interface AccessTokenOptions {
  /** Lifetime in seconds (default: the group's `accessTokenTtl` setting, else the option). */
  ttl?: number;
  /** The RFC 8693 `act` claim of a support session. */
  act?: { sub: string };
}

/**
 * Signs an access token for a session with the group's current key: a compact JWS (RFC 7515) whose
 * signature the context's `JwsSigner` computes.
 */
export async function issueAccessToken(
  ctx: AuthContext,
  session: SessionRecord,
  options: AccessTokenOptions = {},
): Promise<string> {
  const { key, privateKey } = await ctx.keys.current(session.group);
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  const ttl = options.ttl ?? (await groupPolicy(ctx, session.group)).accessTokenTtl;
  const claims: AccessTokenClaims = {
    grp: session.group,
    sid: session.id,
    amr: session.amr,
    ...(options.act ? { act: { sub: options.act.sub } } : {}),
    iss: ctx.options.issuer,
    aud: ctx.options.audience,
    sub: session.accountId,
    iat: now,
    exp: now + ttl,
    jti: newId('jti'),
  };
  // What jose's SignJWT checked before it signed: a whole-second expiry and a subject.
  if (!Number.isSafeInteger(claims.exp) || typeof claims.sub !== 'string' || claims.sub === '') {
    throw new TypeError('latchkey: an access token needs a whole-second exp and a subject');
  }
  const input = `${encodeJson({ alg: key.alg, typ: 'at+jwt', kid: key.id })}.${encodeJson(claims)}`;
  const signature = await ctx.signer.sign(key.alg, privateKey, utf8(input));
  return `${input}.${toBase64Url(signature)}`;
}

function encodeJson(value: object): string {
  return toBase64Url(utf8(JSON.stringify(value)));
}
