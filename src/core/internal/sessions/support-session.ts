import type { AuthContext, RequestInfo } from '../../context.js';
import { newId } from '../../lib/ids.js';
import { randomToken } from '../../lib/random.js';
import { hashToken } from '../../lib/token-hash.js';
import type { AccountRecord, SessionRecord } from '../../ports.js';
import { issueAccessToken } from '../tokens/access-token.js';

/** How long a support session (and its only access token) lives: 15 minutes, never refreshed. */
export const SUPPORT_SESSION_TTL = 15 * 60;

/** The `amr` that marks a support session: the account's owner proved nothing, an administrator acts. */
export const SUPPORT_AMR = 'support';

/**
 * Stores a support session on `account` for the administrator `actorId`, ending 15 minutes from now,
 * and signs its one access token with `act: { sub: actorId }`. The session's refresh token is made
 * and thrown away at once, already marked rotated: the storage needs one, and nobody ever holds it.
 */
export async function openSupportSession(
  ctx: AuthContext,
  account: AccountRecord,
  actorId: string,
  request: RequestInfo,
): Promise<{ session: SessionRecord; accessToken: string }> {
  const now = ctx.clock.now();
  const session: SessionRecord = {
    id: newId('ses', now),
    group: account.group,
    accountId: account.id,
    amr: [SUPPORT_AMR],
    createdAt: now,
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + SUPPORT_SESSION_TTL * 1000),
    revokedAt: null,
    revokedReason: null,
    ip: request.ip ?? null,
    userAgent: request.userAgent ?? null,
  };
  await ctx.storage.sessions.create(session, {
    hash: hashToken(randomToken(32)),
    sessionId: session.id,
    group: account.group,
    accountId: account.id,
    createdAt: now,
    rotatedAt: now,
  });
  const accessToken = await issueAccessToken(ctx, session, { ttl: SUPPORT_SESSION_TTL, act: { sub: actorId } });
  return { session, accessToken };
}
