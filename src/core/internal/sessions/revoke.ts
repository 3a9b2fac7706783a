import type { AuthContext } from '../../context.js';
import { emit } from '../../events/emit.js';
import type { SessionRecord } from '../../ports.js';

/** Revokes one session and tells listeners, once. */
export async function revokeSessionRecord(ctx: AuthContext, session: SessionRecord, reason: string): Promise<void> {
  const revoked = await ctx.storage.sessions.revoke(session.group, session.id, ctx.clock.now(), reason);
  if (revoked) await emit(ctx, 'session.revoked', session.group, { accountId: session.accountId, sessionIds: [session.id], reason });
}
