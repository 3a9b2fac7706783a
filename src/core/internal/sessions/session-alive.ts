import type { AuthContext } from '../../context.js';
import type { SessionRecord } from '../../ports.js';
import type { GroupPolicy } from '../groups/group-policy.js';

/**
 * A session is alive until revoked, past its absolute end, or unused for its group's idle timeout
 * (`policy.sessionIdleTimeout`: the group's `sessionIdleTimeout` setting, else `session.idleTimeout`).
 * A change of the setting applies to existing sessions too, at their next check.
 */
export function isSessionAlive(
  ctx: AuthContext,
  session: SessionRecord,
  policy: Pick<GroupPolicy, 'sessionIdleTimeout'>,
): boolean {
  const now = ctx.clock.now().getTime();
  if (session.revokedAt) return false;
  if (session.expiresAt.getTime() <= now) return false;
  return session.lastUsedAt.getTime() + policy.sessionIdleTimeout * 1000 > now;
}
