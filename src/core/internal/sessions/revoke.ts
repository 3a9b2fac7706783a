import type { AuthContext } from '../../context.js';
import { emit } from '../../events/emit.js';
import type { SessionRecord } from '../../ports.js';
import { inTransaction } from '../transaction.js';

/** Revokes one session and tells listeners, once. */
export async function revokeSessionRecord(ctx: AuthContext, session: SessionRecord, reason: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const revoked = await tx.storage.sessions.revoke(session.group, session.id, tx.clock.now(), reason);
    if (revoked) await emit(tx, 'session.revoked', session.group, { accountId: session.accountId, sessionIds: [session.id], reason });
  });
}
