import { AuthError } from '../../../core/errors.js';
import type { RefreshTokenRecord, RefreshTokenRepository, RefreshTokenWithSession, RotateOutcome } from '../../../core/ports.js';
import { copy, scopedKey, type MemoryState } from './state.js';

function hashTaken(): AuthError {
  return new AuthError('conflict', 'A refresh token with this hash already exists.');
}

/**
 * The in-memory {@link RefreshTokenRepository}. `rotate` checks the token and its session, touches the
 * session, marks the token rotated and inserts its successor in one synchronous step: all the writes or
 * none, and one winner under concurrency.
 */
export function createRefreshTokenRepository(state: MemoryState): RefreshTokenRepository {
  return {
    async create(token: RefreshTokenRecord): Promise<void> {
      if (state.refreshTokens.has(token.hash)) throw hashTaken();
      state.refreshTokens.set(token.hash, copy(token));
    },

    async findByHash(hash: string): Promise<RefreshTokenRecord | null> {
      const token = state.refreshTokens.get(hash);
      return token ? copy(token) : null;
    },

    async findWithSession(hash: string): Promise<RefreshTokenWithSession | null> {
      const token = state.refreshTokens.get(hash);
      if (!token) return null;
      const session = state.sessions.get(scopedKey(token.group, token.sessionId));
      const account = session && state.accounts.get(scopedKey(session.group, session.accountId));
      return { token: copy(token), session: session ? copy(session) : null, account: account ? copy(account) : null };
    },

    async rotate(hash: string, next: RefreshTokenRecord, at: Date): Promise<RotateOutcome> {
      const token = state.refreshTokens.get(hash);
      if (!token || token.rotatedAt !== null) return 'spent';
      const session = state.sessions.get(scopedKey(next.group, next.sessionId));
      if (!session || session.revokedAt !== null) return 'ended';
      // Checked before the first write so that a clash changes nothing.
      if (state.refreshTokens.has(next.hash)) throw hashTaken();
      session.lastUsedAt = new Date(at.getTime());
      token.rotatedAt = new Date(at.getTime());
      state.refreshTokens.set(next.hash, copy(next));
      return 'rotated';
    },
  };
}
