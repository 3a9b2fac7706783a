import { AuthError } from '../../../core/errors.js';
import type { AccountPatch, AccountRecord, AccountRepository } from '../../../core/ports.js';
import { searchAccounts } from './account-search.js';
import { applyPatch, copy, scopedKey, type MemoryState } from './state.js';

function emailTaken(): AuthError {
  return new AuthError('conflict', 'An account with this email already exists in the group.');
}

/**
 * Removes everything that belongs to the account: its sessions, refresh tokens, one-time tokens, login
 * attempts, recovery codes, one-time codes, passkeys and the WebAuthn challenges bound to it.
 */
function removeDependents(state: MemoryState, group: string, accountId: string): void {
  const owned = (record: { group: string; accountId: string | null }): boolean =>
    record.group === group && record.accountId === accountId;
  for (const [key, session] of state.sessions) if (owned(session)) state.sessions.delete(key);
  for (const [key, token] of state.refreshTokens) if (owned(token)) state.refreshTokens.delete(key);
  for (const [key, attempt] of state.loginAttempts) if (owned(attempt)) state.loginAttempts.delete(key);
  for (const [key, token] of state.oneTimeTokens) if (owned(token)) state.oneTimeTokens.delete(key);
  for (const [key, code] of state.otpCodes) if (owned(code)) state.otpCodes.delete(key);
  for (const [key, passkey] of state.webauthnCredentials) if (owned(passkey)) state.webauthnCredentials.delete(key);
  for (const [key, challenge] of state.webauthnChallenges) if (owned(challenge)) state.webauthnChallenges.delete(key);
  state.recoveryCodes.delete(scopedKey(group, accountId));
}

/** Oldest deletion first; accounts deleted in the same millisecond by id, then group. */
function oldestDeletionFirst(a: AccountRecord, b: AccountRecord): number {
  const byTime = (a.deletedAt?.getTime() ?? 0) - (b.deletedAt?.getTime() ?? 0);
  return byTime || compare(a.id, b.id) || compare(a.group, b.group);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The in-memory {@link AccountRepository}. `(group, email)` is a unique index kept beside the records;
 * every check and write happens synchronously (`claimTotpStep` and `confirmTotp` included), so
 * concurrent callers cannot interleave.
 */
export function createAccountRepository(state: MemoryState): AccountRepository {
  const find = (group: string, id: string): AccountRecord | undefined =>
    state.accounts.get(scopedKey(group, id));

  return {
    async create(account: AccountRecord): Promise<void> {
      const emailKey = scopedKey(account.group, account.email);
      if (state.accountIdsByEmail.has(emailKey)) throw emailTaken();
      if (find(account.group, account.id)) {
        throw new AuthError('conflict', 'An account with this id already exists in the group.');
      }
      state.accounts.set(scopedKey(account.group, account.id), copy(account));
      state.accountIdsByEmail.set(emailKey, account.id);
    },

    async findById(group: string, id: string): Promise<AccountRecord | null> {
      const account = find(group, id);
      return account ? copy(account) : null;
    },

    async findByEmail(group: string, email: string): Promise<AccountRecord | null> {
      const id = state.accountIdsByEmail.get(scopedKey(group, email));
      const account = id === undefined ? undefined : find(group, id);
      return account ? copy(account) : null;
    },

    async update(group: string, id: string, patch: AccountPatch): Promise<AccountRecord | null> {
      const account = find(group, id);
      if (!account) return null;
      const next = applyPatch(account, patch, ['id', 'group', 'createdAt']);
      if (next.email !== account.email) {
        const newKey = scopedKey(group, next.email);
        if (state.accountIdsByEmail.has(newKey)) throw emailTaken();
        state.accountIdsByEmail.delete(scopedKey(group, account.email));
        state.accountIdsByEmail.set(newKey, id);
      }
      state.accounts.set(scopedKey(group, id), next);
      return copy(next);
    },

    async delete(group: string, id: string): Promise<boolean> {
      const account = find(group, id);
      if (!account) return false;
      state.accounts.delete(scopedKey(group, id));
      state.accountIdsByEmail.delete(scopedKey(group, account.email));
      removeDependents(state, group, id);
      return true;
    },

    async listDeletedBefore(before: Date, limit: number): Promise<AccountRecord[]> {
      if (!Number.isInteger(limit) || limit < 1) {
        const message = 'The limit must be a positive integer.';
        throw new AuthError('validation_failed', message, { details: [{ path: 'limit', message }] });
      }
      return [...state.accounts.values()]
        .filter((a) => a.status === 'deleted' && a.deletedAt !== null && a.deletedAt.getTime() < before.getTime())
        .sort(oldestDeletionFirst)
        .slice(0, limit)
        .map(copy);
    },

    async search(group, filter, options) {
      const page = searchAccounts(state.accounts.values(), group, filter, options);
      return { data: page.data.map(copy), nextCursor: page.nextCursor };
    },

    async claimTotpStep(group: string, id: string, step: number): Promise<boolean> {
      const account = find(group, id);
      if (!account || account.totpSecretSealed === null) return false;
      if (account.totpLastUsedStep !== null && account.totpLastUsedStep >= step) return false;
      state.accounts.set(scopedKey(group, id), { ...account, totpLastUsedStep: step });
      return true;
    },

    async confirmTotp(group, id, pendingSecretSealed, step, at): Promise<boolean> {
      const account = find(group, id);
      if (!account || account.totpPendingSecretSealed !== pendingSecretSealed) return false;
      state.accounts.set(scopedKey(group, id), {
        ...account,
        totpSecretSealed: pendingSecretSealed,
        totpPendingSecretSealed: null,
        totpLastUsedStep: step,
        totpEnabledAt: new Date(at.getTime()),
        updatedAt: new Date(at.getTime()),
      });
      return true;
    },
  };
}
