import type { RecoveryCodeRepository } from '../../../core/ports.js';
import { scopedKey, type MemoryState, type RecoveryCodeEntry } from './state.js';

/**
 * The in-memory {@link RecoveryCodeRepository}. Neither method awaits: the codes and the account's
 * `recoveryCodesRemaining` change in one synchronous step, so they never disagree and a code is used
 * once. An account that does not exist gets no codes (nothing is stored for it).
 */
export function createRecoveryCodeRepository(state: MemoryState): RecoveryCodeRepository {
  return {
    async replace(group: string, accountId: string, hashes: string[], at: Date): Promise<void> {
      const key = scopedKey(group, accountId);
      const account = state.accounts.get(key);
      if (!account) return;
      const codes = new Map<string, RecoveryCodeEntry>();
      for (const hash of hashes) codes.set(hash, { createdAt: new Date(at.getTime()), usedAt: null });
      state.recoveryCodes.set(key, codes);
      // A fresh object, like every other write: records handed out earlier stay as they were.
      state.accounts.set(key, { ...account, recoveryCodesRemaining: codes.size });
    },

    async consume(group: string, accountId: string, hash: string, at: Date): Promise<boolean> {
      const key = scopedKey(group, accountId);
      const account = state.accounts.get(key);
      const code = state.recoveryCodes.get(key)?.get(hash);
      if (!account || !code || code.usedAt !== null) return false;
      code.usedAt = new Date(at.getTime());
      state.accounts.set(key, { ...account, recoveryCodesRemaining: account.recoveryCodesRemaining - 1 });
      return true;
    },
  };
}
