import type { AuthContext } from '../../context.js';
import { hashToken } from '../../lib/token-hash.js';
import type { RefreshTokenRecord, SessionRecord } from '../../ports.js';
import { isSessionAlive } from '../sessions/session-alive.js';
import { groupPolicy, type GroupPolicy } from '../groups/group-policy.js';

/** A refresh token that still refreshes, and its session. */
export interface LiveRefreshToken {
  record: RefreshTokenRecord;
  session: SessionRecord;
}

/**
 * The refresh token if it is the live one of a live session of `group`: not rotated, its session not
 * revoked, past its end or idle. Anything else (unknown, rotated, another group's) is null; reading
 * changes nothing, so a rotated token presented here does not count as reuse.
 */
export async function findLiveRefreshToken(
  ctx: AuthContext,
  group: string,
  refreshToken: string,
): Promise<LiveRefreshToken | null> {
  const record = await ctx.storage.refreshTokens.findByHash(hashToken(refreshToken));
  if (!record || record.group !== group || record.rotatedAt !== null) return null;
  const session = await ctx.storage.sessions.findById(group, record.sessionId);
  if (!session || session.accountId !== record.accountId) return null;
  if (!isSessionAlive(ctx, session, await groupPolicy(ctx, group))) return null;
  return { record, session };
}

/**
 * When a live session's refresh token stops working: its absolute end, or the group's idle timeout, if
 * sooner.
 */
export function refreshTokenExpiry(session: SessionRecord, policy: Pick<GroupPolicy, 'sessionIdleTimeout'>): Date {
  const idleEnd = session.lastUsedAt.getTime() + policy.sessionIdleTimeout * 1000;
  return new Date(Math.min(session.expiresAt.getTime(), idleEnd));
}
