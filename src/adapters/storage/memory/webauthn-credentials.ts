import { AuthError } from '../../../core/errors.js';
import type { WebAuthnCredentialRecord, WebAuthnCredentialRepository } from '../../../core/ports.js';
import { copy, scopedKey, type MemoryState } from './state.js';

/** Oldest first; passkeys created in the same millisecond by id. */
function oldestFirst(a: WebAuthnCredentialRecord, b: WebAuthnCredentialRecord): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The in-memory {@link WebAuthnCredentialRepository}. No method awaits: `recordUse` compares the counter
 * and writes the new one in one synchronous step, so of concurrent uses that read the same counter
 * exactly one succeeds. `rename` and `delete` touch a passkey only when it belongs to the account named.
 */
export function createWebAuthnCredentialRepository(state: MemoryState): WebAuthnCredentialRepository {
  /** The account's passkey with this id, if it has one. */
  const owned = (group: string, accountId: string, id: string): WebAuthnCredentialRecord | undefined => {
    const credential = state.webauthnCredentials.get(scopedKey(group, id));
    return credential?.accountId === accountId ? credential : undefined;
  };

  return {
    async create(credential: WebAuthnCredentialRecord): Promise<void> {
      const key = scopedKey(credential.group, credential.id);
      if (state.webauthnCredentials.has(key)) {
        throw new AuthError('conflict', 'A passkey with this credential id already exists in the group.');
      }
      state.webauthnCredentials.set(key, copy(credential));
    },

    async findById(group: string, id: string): Promise<WebAuthnCredentialRecord | null> {
      const credential = state.webauthnCredentials.get(scopedKey(group, id));
      return credential ? copy(credential) : null;
    },

    async listByAccount(group: string, accountId: string): Promise<WebAuthnCredentialRecord[]> {
      return [...state.webauthnCredentials.values()]
        .filter((c) => c.group === group && c.accountId === accountId)
        .sort(oldestFirst)
        .map(copy);
    },

    async rename(group: string, accountId: string, id: string, name: string): Promise<WebAuthnCredentialRecord | null> {
      const credential = owned(group, accountId, id);
      if (!credential) return null;
      // A fresh object, like every other write: records handed out earlier stay as they were.
      const renamed = { ...credential, name };
      state.webauthnCredentials.set(scopedKey(group, id), renamed);
      return copy(renamed);
    },

    async delete(group: string, accountId: string, id: string): Promise<boolean> {
      if (!owned(group, accountId, id)) return false;
      return state.webauthnCredentials.delete(scopedKey(group, id));
    },

    async deleteAllForAccount(group: string, accountId: string): Promise<number> {
      let removed = 0;
      for (const [key, credential] of state.webauthnCredentials) {
        if (credential.group !== group || credential.accountId !== accountId) continue;
        state.webauthnCredentials.delete(key);
        removed += 1;
      }
      return removed;
    },

    async recordUse(group: string, id: string, expected: number, next: number, at: Date): Promise<boolean> {
      const key = scopedKey(group, id);
      const credential = state.webauthnCredentials.get(key);
      if (!credential || credential.counter !== expected) return false;
      state.webauthnCredentials.set(key, { ...credential, counter: next, lastUsedAt: new Date(at.getTime()) });
      return true;
    },
  };
}
