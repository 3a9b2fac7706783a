import type { AuthContext } from '../../context.js';
import type { SessionRecord } from '../../ports.js';

/** A session is alive until revoked, past its absolute end, or unused for the idle timeout. */
export function isSessionAlive(ctx: AuthContext, session: SessionRecord): boolean {
  const now = ctx.clock.now().getTime();
  if (session.revokedAt) return false;
  if (session.expiresAt.getTime() <= now) return false;
  return session.lastUsedAt.getTime() + ctx.options.session.idleTimeout * 1000 > now;
}
