import type { AuthContext } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { isAuthError } from '../errors.js';
import { checkAccessToken } from '../internal/tokens/check-access-token.js';
import { findLiveRefreshToken, refreshTokenExpiry } from '../internal/tokens/live-refresh-token.js';
import { groupPolicy } from '../internal/groups/group-policy.js';

/** What `auth.introspectToken` takes (RFC 7662): a refresh or access token of the group. */
export interface IntrospectTokenInput {
  /** The group the token must belong to (default `default`); a token of another group is inactive. */
  group?: string;
  token: string;
  /** `refresh_token` or `access_token`; a hint only, since the token's form tells them apart. */
  tokenTypeHint?: string;
}

/** What `auth.introspectToken` answers (RFC 7662 §2.2): `{ active: false }` says nothing more. */
export type IntrospectionResult = { active: false } | ActiveTokenInfo;

/** The facts about an active token, named as in RFC 7662 (and `grp`, `sid` as in the access token). */
export interface ActiveTokenInfo {
  active: true;
  /** Account id. */
  sub: string;
  /** Auth group. */
  grp: string;
  /** Session id. */
  sid: string;
  /** Expiry, seconds since the epoch: the access token's `exp`, or when the refresh token's session ends. */
  exp: number;
  /** Issue time, seconds since the epoch. */
  iat: number;
  /** The access token's `scope`, when it has one. */
  scope?: string;
  token_type: 'access_token' | 'refresh_token';
  /** The account's email address. */
  username?: string;
  /** The actor of a support session (RFC 8693 `act`), from the access token. */
  act?: unknown;
}

const INACTIVE: IntrospectionResult = Object.freeze({ active: false });

/** The `introspectToken` operation of `Auth`: the one place its documentation lives. */
export const introspectTokenOperation = {
  /**
   * RFC 7662 introspection, for a resource server or an administrator. A refresh token is active while
   * it is the live (unrotated) token of a live session; an access token while it verifies and its
   * session is alive. Anything else (garbage, expired, revoked, rotated, a token of another group) is
   * `{ active: false }`, with no reason given. Introspecting changes nothing: a rotated refresh token
   * is only reported inactive, never treated as reuse.
   *
   * @example
   * ```ts
   * const info = await auth.introspectToken({ group, token })
   * if (info.active) console.log(info.sub, info.token_type, new Date(info.exp * 1000))
   * ```
   */
  introspectToken,
};

/** See {@link introspectTokenOperation}. */
export async function introspectToken(ctx: AuthContext, input: IntrospectTokenInput): Promise<IntrospectionResult> {
  const group = input.group ?? DEFAULT_GROUP;
  const looksLikeJwt = input.token.split('.').length === 3;
  return looksLikeJwt ? introspectAccessToken(ctx, group, input.token) : introspectRefreshToken(ctx, group, input.token);
}

async function introspectRefreshToken(ctx: AuthContext, group: string, token: string): Promise<IntrospectionResult> {
  const live = await findLiveRefreshToken(ctx, group, token);
  if (!live) return INACTIVE;
  const { record, session } = live;
  const account = await ctx.storage.accounts.findById(group, record.accountId);
  if (!account) return INACTIVE;
  return {
    active: true,
    sub: record.accountId,
    grp: group,
    sid: session.id,
    exp: seconds(refreshTokenExpiry(session, await groupPolicy(ctx, group))),
    iat: seconds(record.createdAt),
    token_type: 'refresh_token',
    username: account.email,
  };
}

async function introspectAccessToken(ctx: AuthContext, group: string, token: string): Promise<IntrospectionResult> {
  let claims;
  try {
    claims = await checkAccessToken(ctx, token, { group });
  } catch (error) {
    if (isAuthError(error, 'unauthenticated')) return INACTIVE;
    throw error;
  }
  const account = await ctx.storage.accounts.findById(group, claims.sub);
  if (!account) return INACTIVE;
  const { scope, act } = claims as { scope?: unknown; act?: unknown };
  return {
    active: true,
    sub: claims.sub,
    grp: claims.grp,
    sid: claims.sid,
    exp: claims.exp,
    iat: claims.iat,
    ...(typeof scope === 'string' ? { scope } : {}),
    token_type: 'access_token',
    username: account.email,
    ...(act !== undefined ? { act } : {}),
  };
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);
