import { AuthError } from '../../../core/errors.js';
import type { OneTimeTokenPurpose, OneTimeTokenRecord, OneTimeTokenRepository } from '../../../core/ports.js';
import { copy, type MemoryState } from './state.js';

/**
 * The in-memory {@link OneTimeTokenRepository}. Neither method awaits: `issue` checks the hash, retires
 * the account's live tokens of the purpose and stores the new one in one synchronous step (a clash
 * changes nothing), and `consume` checks and marks the token in one step, so exactly one concurrent
 * caller receives it.
 */
export function createOneTimeTokenRepository(state: MemoryState): OneTimeTokenRepository {
  return {
    async issue(token: OneTimeTokenRecord): Promise<void> {
      if (state.oneTimeTokens.has(token.hash)) {
        throw new AuthError('conflict', 'A one-time token with this hash already exists.');
      }
      for (const earlier of state.oneTimeTokens.values()) {
        if (earlier.consumedAt !== null || earlier.purpose !== token.purpose) continue;
        if (earlier.group !== token.group || earlier.accountId !== token.accountId) continue;
        earlier.consumedAt = new Date(token.createdAt.getTime());
      }
      state.oneTimeTokens.set(token.hash, copy(token));
    },

    async consume(hash: string, purpose: OneTimeTokenPurpose, at: Date): Promise<OneTimeTokenRecord | null> {
      const token = state.oneTimeTokens.get(hash);
      if (!token || token.purpose !== purpose || token.consumedAt !== null) return null;
      if (token.expiresAt.getTime() <= at.getTime()) return null;
      const before = copy(token);
      token.consumedAt = new Date(at.getTime());
      return before;
    },

    async find(hash: string): Promise<OneTimeTokenRecord | null> {
      const token = state.oneTimeTokens.get(hash);
      return token ? copy(token) : null;
    },
  };
}
