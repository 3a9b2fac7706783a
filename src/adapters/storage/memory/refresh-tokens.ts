import { AuthError } from '../../../core/errors.js';
import type { RefreshTokenRecord, RefreshTokenRepository } from '../../../core/ports.js';
import { copy, type MemoryState } from './state.js';

function hashTaken(): AuthError {
  return new AuthError('conflict', 'A refresh token with this hash already exists.');
}

/**
 * The in-memory {@link RefreshTokenRepository}. `rotate` checks the token, marks it rotated and inserts
 * its successor in one synchronous step: both writes or neither, and one winner under concurrency.
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

    async rotate(hash: string, next: RefreshTokenRecord, at: Date): Promise<boolean> {
      const token = state.refreshTokens.get(hash);
      if (!token || token.rotatedAt !== null) return false;
      // Checked before the first write so that a clash leaves the old token unrotated.
      if (state.refreshTokens.has(next.hash)) throw hashTaken();
      token.rotatedAt = new Date(at.getTime());
      state.refreshTokens.set(next.hash, copy(next));
      return true;
    },
  };
}
