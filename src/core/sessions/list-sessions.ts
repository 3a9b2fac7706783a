import type { AuthContext } from '../context.js';
import { isSessionAlive } from '../internal/sessions/session-alive.js';
import { groupPolicy } from '../internal/groups/group-policy.js';
import { groupOf } from '../lib/group-of.js';

/** A live session as its owner sees it. */
export interface SessionResource {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  ip: string | null;
  userAgent: string | null;
  /** True for the session of the token that asked. */
  current: boolean;
}

/** The `listSessions` operation of `Auth`: the one place its documentation lives. */
export const listSessionsOperation = {
  /**
   * The account's live sessions, newest first.
   *
   * @example
   * ```ts
   * const sessions = await auth.listSessions({ group, accountId: claims.sub, currentSessionId: claims.sid })
   * ```
   */
  listSessions,
};

/** See {@link listSessionsOperation}. */
export async function listSessions(
  ctx: AuthContext,
  input: { group?: string | undefined; accountId: string; currentSessionId?: string },
): Promise<SessionResource[]> {
  const sessions = await ctx.storage.sessions.listByAccount(groupOf(input), input.accountId);
  const policy = await groupPolicy(ctx, groupOf(input));
  return sessions
    .filter((s) => isSessionAlive(ctx, s, policy))
    .map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
      current: s.id === input.currentSessionId,
    }));
}
