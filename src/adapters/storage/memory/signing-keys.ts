import { AuthError } from '../../../core/errors.js';
import type { SigningKeyRecord, SigningKeyRepository } from '../../../core/ports.js';
import { copy, type MemoryState } from './state.js';

/**
 * The in-memory {@link SigningKeyRepository}. `create` checks both unique keys, `(group, generation)` and
 * the key id, and inserts in one synchronous step, so concurrent rotations have one winner.
 */
export function createSigningKeyRepository(state: MemoryState): SigningKeyRepository {
  return {
    async listByGroup(group: string): Promise<SigningKeyRecord[]> {
      return [...state.signingKeys.values()]
        .filter((key) => key.group === group)
        .sort((a, b) => b.generation - a.generation)
        .map(copy);
    },

    async create(key: SigningKeyRecord): Promise<void> {
      if (state.signingKeys.has(key.id)) {
        throw new AuthError('conflict', 'A signing key with this id already exists.');
      }
      for (const existing of state.signingKeys.values()) {
        if (existing.group === key.group && existing.generation === key.generation) {
          throw new AuthError('conflict', 'The group already has a signing key of this generation.');
        }
      }
      state.signingKeys.set(key.id, copy(key));
    },
  };
}
