import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { revokeSessionRecord } from '../internal/sessions/revoke.js';
import { DEFAULT_GROUP } from '../context.js';
import { groupOf } from '../lib/group-of.js';
import { inTransaction } from '../internal/transaction.js';

/** The `revokeSession` operation of `Auth`: the one place its documentation lives. */
export const revokeSessionOperation = {
  /**
   * Ends one of the account's own sessions. Another account's session id is `not_found`, the same as one
   * that never existed.
   *
   * @throws AuthError `not_found`
   * @example
   * ```ts
   * await auth.revokeSession({ group, accountId: claims.sub, sessionId })
   * ```
   */
  revokeSession,
};

/** See {@link revokeSessionOperation}. */
export async function revokeSession(
  ctx: AuthContext,
  input: { group?: string | undefined; accountId: string; sessionId: string },
): Promise<void> {
  const session = await ctx.storage.sessions.findById(groupOf(input), input.sessionId);
  if (!session || session.accountId !== input.accountId || session.revokedAt) {
    throw new AuthError('not_found', 'No such session.');
  }
  await revokeSessionRecord(ctx, session, 'revoked_by_user');
}

/** The `revokeOtherSessions` operation of `Auth`: the one place its documentation lives. */
export const revokeOtherSessionsOperation = {
  /**
   * Ends every session of the account except the current one ("sign out everywhere else").
   *
   * @example
   * ```ts
   * await auth.revokeOtherSessions({ group, accountId: claims.sub, currentSessionId: claims.sid })
   * ```
   */
  revokeOtherSessions,
};

/** See {@link revokeOtherSessionsOperation}. */
export async function revokeOtherSessions(
  ctx: AuthContext,
  input: { group?: string | undefined; accountId: string; currentSessionId: string },
): Promise<void> {
  const { group = DEFAULT_GROUP, accountId, currentSessionId } = input;
  const reason = 'revoked_by_user';
  await inTransaction(ctx, async (tx) => {
    const ids = await tx.storage.sessions.revokeAllForAccount(group, accountId, tx.clock.now(), reason, currentSessionId);
    if (ids.length > 0) await emit(tx, 'session.revoked', group, { accountId, sessionIds: ids, reason });
  });
}
