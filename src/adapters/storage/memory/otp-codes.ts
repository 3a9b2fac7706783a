import type { OtpAttemptResult, OtpCodeRecord, OtpCodeRepository } from '../../../core/ports.js';
import { copy, otpKey, scopedKey, type MemoryState } from './state.js';

/** Unconsumed and not expired at `at`. */
function isLive(code: OtpCodeRecord, at: Date): boolean {
  return code.consumedAt === null && code.expiresAt.getTime() > at.getTime();
}

/**
 * The in-memory {@link OtpCodeRepository}. Neither `issue` nor `attempt` awaits: each reads the code
 * and writes its outcome in one synchronous step, so concurrent attempts are counted one by one and
 * only one can consume the code. An account that does not exist gets no code.
 */
export function createOtpCodeRepository(state: MemoryState): OtpCodeRepository {
  return {
    async issue(code: OtpCodeRecord): Promise<void> {
      if (!state.accounts.has(scopedKey(code.group, code.accountId))) return;
      const key = otpKey(code);
      const previous = state.otpCodes.get(key);
      const attempts = previous && isLive(previous, code.createdAt) ? previous.attempts : code.attempts;
      state.otpCodes.set(key, { ...copy(code), attempts });
    },

    async attempt(group, accountId, channel, purpose, codeHash, at, maxAttempts): Promise<OtpAttemptResult> {
      const code = state.otpCodes.get(otpKey({ group, accountId, channel, purpose }));
      if (!code || !isLive(code, at)) return 'missing';
      if (code.attempts >= maxAttempts) return 'exhausted';
      if (code.codeHash === codeHash) {
        code.consumedAt = new Date(at.getTime());
        return 'accepted';
      }
      code.attempts += 1;
      return 'rejected';
    },

    async find(group, accountId, channel, purpose): Promise<OtpCodeRecord | null> {
      const code = state.otpCodes.get(otpKey({ group, accountId, channel, purpose }));
      return code ? copy(code) : null;
    },

    async deleteForAccount(group: string, accountId: string): Promise<number> {
      let removed = 0;
      for (const [key, code] of state.otpCodes) {
        if (code.group === group && code.accountId === accountId && state.otpCodes.delete(key)) removed += 1;
      }
      return removed;
    },
  };
}
