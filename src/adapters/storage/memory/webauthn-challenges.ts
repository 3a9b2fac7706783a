import { AuthError } from '../../../core/errors.js';
import type {
  WebAuthnChallengePurpose,
  WebAuthnChallengeRecord,
  WebAuthnChallengeRepository,
} from '../../../core/ports.js';
import { copy, type MemoryState } from './state.js';

/**
 * The in-memory {@link WebAuthnChallengeRepository}. `consume` checks and marks the challenge in one
 * synchronous step, so exactly one concurrent caller receives it. A hash that exists makes `create`
 * throw `AuthError('conflict')`, as the SQL adapter's primary key does. `deleteExpired` removes due
 * challenges in one synchronous pass.
 */
export function createWebAuthnChallengeRepository(state: MemoryState): WebAuthnChallengeRepository {
  return {
    async create(challenge: WebAuthnChallengeRecord): Promise<void> {
      if (state.webauthnChallenges.has(challenge.hash)) {
        throw new AuthError('conflict', 'A WebAuthn challenge with this hash already exists.');
      }
      state.webauthnChallenges.set(challenge.hash, copy(challenge));
    },

    async consume(hash: string, purpose: WebAuthnChallengePurpose, at: Date): Promise<WebAuthnChallengeRecord | null> {
      const challenge = state.webauthnChallenges.get(hash);
      if (!challenge || challenge.purpose !== purpose || challenge.consumedAt !== null) return null;
      if (challenge.expiresAt.getTime() <= at.getTime()) return null;
      const before = copy(challenge);
      challenge.consumedAt = new Date(at.getTime());
      return before;
    },

    async deleteExpired(before: Date, limit?: number): Promise<number> {
      let removed = 0;
      for (const [hash, challenge] of state.webauthnChallenges) {
        if (limit !== undefined && removed >= limit) break;
        if (challenge.expiresAt.getTime() > before.getTime()) continue;
        state.webauthnChallenges.delete(hash);
        removed += 1;
      }
      return removed;
    },

    async deleteForAccount(group: string, accountId: string): Promise<number> {
      let removed = 0;
      for (const [hash, challenge] of state.webauthnChallenges) {
        if (challenge.group !== group || challenge.accountId !== accountId) continue;
        state.webauthnChallenges.delete(hash);
        removed += 1;
      }
      return removed;
    },
  };
}
