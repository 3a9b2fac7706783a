import { type AccountResource, toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../../context.js';
import { newId } from '../../lib/ids.js';
import { randomToken } from '../../lib/random.js';
import { hashToken } from '../../lib/token-hash.js';
import type { AccountRecord, SessionRecord } from '../../ports.js';
import { issueAccessToken } from '../tokens/access-token.js';
import { groupPolicy } from '../groups/group-policy.js';
import { holdsForTwoFactorSetup } from '../groups/two-factor-setup.js';

/** What login, refresh and every other sign-in path return. */
export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Access token lifetime in seconds: the group's `accessTokenTtl` setting, else the option. */
  expiresIn: number;
  account: AccountResource;
  /**
   * Present (and true) only when the group's settings have `requireTwoFactor` and this session is held
   * to the two-factor setup routes until the account enables a second factor (every other route
   * answers 403 `two_factor_setup_required`).
   */
  twoFactorSetupRequired?: true;
}

/** Starts a session for an account that has just proven who it is: a session, its first refresh token. */
export async function openSession(
  ctx: AuthContext,
  account: AccountRecord,
  amr: string[],
  request: RequestInfo,
): Promise<{ tokens: TokenResponse; session: SessionRecord }> {
  const { session, refreshToken } = await storeSession(ctx, account, amr, request);
  return { tokens: await tokenResponse(ctx, account, session, refreshToken), session };
}

/**
 * Stores a new session of `account` with its first refresh token, and signs nothing: what a sign-in
 * does inside its transaction ({@link tokenResponse} signs the access token after it commits).
 */
export async function storeSession(
  ctx: AuthContext,
  account: AccountRecord,
  amr: string[],
  request: RequestInfo,
): Promise<{ session: SessionRecord; refreshToken: string }> {
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
  return { session, refreshToken };
}

/** Builds the token response with a fresh access token, under the group's policy (lifetime, two-factor setup). */
export async function tokenResponse(
  ctx: AuthContext,
  account: AccountRecord,
  session: SessionRecord,
  refreshToken: string,
): Promise<TokenResponse> {
  const policy = await groupPolicy(ctx, account.group);
  return {
    accessToken: await issueAccessToken(ctx, session, { ttl: policy.accessTokenTtl }),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: policy.accessTokenTtl,
    account: toAccountResource(account),
    ...(holdsForTwoFactorSetup(policy, session.amr, account) ? { twoFactorSetupRequired: true as const } : {}),
  };
}
