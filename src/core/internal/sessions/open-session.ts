import { type AccountResource, toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../../context.js';
import { newId } from '../../lib/ids.js';
import { randomToken } from '../../lib/random.js';
import { hashToken } from '../../lib/token-hash.js';
import type { AccountRecord, SessionRecord } from '../../ports.js';
import { issueAccessToken } from '../tokens/access-token.js';

/** What login, refresh and every other sign-in path return. */
export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Access token lifetime in seconds. */
  expiresIn: number;
  account: AccountResource;
}

/** Starts a session for an account that has just proven who it is: a session, its first refresh token. */
export async function openSession(
  ctx: AuthContext,
  account: AccountRecord,
  amr: string[],
  request: RequestInfo,
): Promise<{ tokens: TokenResponse; session: SessionRecord }> {
  const now = ctx.clock.now();
  const session: SessionRecord = {
    id: newId('ses', now),
    group: account.group,
    accountId: account.id,
    amr,
    createdAt: now,
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + ctx.options.session.absoluteTimeout * 1000),
    revokedAt: null,
    revokedReason: null,
    ip: request.ip ?? null,
    userAgent: request.userAgent ?? null,
  };
  const refreshToken = randomToken(32);
  await ctx.storage.sessions.create(session, {
    hash: hashToken(refreshToken),
    sessionId: session.id,
    group: account.group,
    accountId: account.id,
    createdAt: now,
    rotatedAt: null,
  });
  return { tokens: await tokenResponse(ctx, account, session, refreshToken), session };
}

/** Builds the token response with a fresh access token. */
export async function tokenResponse(
  ctx: AuthContext,
  account: AccountRecord,
  session: SessionRecord,
  refreshToken: string,
): Promise<TokenResponse> {
  return {
    accessToken: await issueAccessToken(ctx, session),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: ctx.options.accessTokenTtl,
    account: toAccountResource(account),
  };
}
