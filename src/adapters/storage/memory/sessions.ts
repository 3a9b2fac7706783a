import { AuthError } from '../../../core/errors.js';
import type { RefreshTokenRecord, SessionRecord, SessionRepository } from '../../../core/ports.js';
import { copy, scopedKey, type MemoryState } from './state.js';

/**
 * The in-memory {@link SessionRepository}. `revoke` checks and writes in one synchronous step, so under
 * concurrent callers exactly one sees the session live and revokes it.
 */
export function createSessionRepository(state: MemoryState): SessionRepository {
  const find = (group: string, id: string): SessionRecord | undefined =>
    state.sessions.get(scopedKey(group, id));

  return {
    async create(session: SessionRecord, firstToken: RefreshTokenRecord): Promise<void> {
      if (find(session.group, session.id)) {
        throw new AuthError('conflict', 'A session with this id already exists in the group.');
      }
      if (state.refreshTokens.has(firstToken.hash)) {
        throw new AuthError('conflict', 'A refresh token with this hash already exists.');
      }
      state.sessions.set(scopedKey(session.group, session.id), copy(session));
      state.refreshTokens.set(firstToken.hash, copy(firstToken));
    },

    async findById(group: string, id: string): Promise<SessionRecord | null> {
      const session = find(group, id);
      return session ? copy(session) : null;
    },

    async findWithAccount(group: string, id: string) {
      const session = find(group, id);
      if (!session) return null;
      const account = state.accounts.get(scopedKey(group, session.accountId));
      return { session: copy(session), account: account ? copy(account) : null };
    },

    async listByAccount(group: string, accountId: string): Promise<SessionRecord[]> {
      return [...state.sessions.values()]
        .filter((s) => s.group === group && s.accountId === accountId)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || compareDesc(a.id, b.id))
        .map(copy);
    },

    async revoke(group: string, id: string, at: Date, reason: string): Promise<boolean> {
      const session = find(group, id);
      if (!session || session.revokedAt !== null) return false;
      session.revokedAt = new Date(at.getTime());
      session.revokedReason = reason;
      return true;
    },

    async revokeAllForAccount(group, accountId, at, reason, exceptId): Promise<string[]> {
      const revoked: string[] = [];
      for (const session of state.sessions.values()) {
        if (session.group !== group || session.accountId !== accountId) continue;
        if (session.revokedAt !== null || session.id === exceptId) continue;
        session.revokedAt = new Date(at.getTime());
        session.revokedReason = reason;
        revoked.push(session.id);
      }
      return revoked;
    },
  };
}

/** Descending order of two ids, the tiebreak between sessions created in the same millisecond. */
function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
