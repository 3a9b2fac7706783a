import { memoryTokenStore } from './memory-token-store.js';
import type { StoredTokens, TokenStore } from './token-store.js';

/** The part of the Web Storage API the store uses (`localStorage`, `sessionStorage`, or a stand-in). */
export interface WebStorageLike {
  /** The value under `key`, or null. */
  getItem(key: string): string | null;
  /** Stores `value` under `key`; may throw (storage full or disabled). */
  setItem(key: string, value: string): void;
  /** Removes `key`. */
  removeItem(key: string): void;
}

/** Options of {@link localStorageTokenStore}. */
export interface LocalStorageTokenStoreOptions {
  /** Where to keep them (default `globalThis.localStorage`); `sessionStorage` keeps them per tab. */
  storage?: WebStorageLike;
}

/**
 * A {@link TokenStore} in the browser's `localStorage` under `key` (default `latchkey.tokens`): the
 * session survives reloads and is shared by every tab of the origin. Refreshes take a Web Lock named
 * after the key, so two tabs never present the same refresh token; a browser without Web Locks relies
 * on the client's handling of `refresh_token_stale`, which needs the server's `refreshTokenReuseGrace`.
 *
 * Anything that runs script on the page can read localStorage: the refresh token's single use limits
 * what a stolen copy is worth, but an app that can should keep it in an HttpOnly cookie set by its own
 * backend instead (docs/tokens.md). Where storage is disabled or full, the tokens live in memory.
 *
 * @example
 * ```ts
 * const client = createLatchkeyClient({ baseUrl: '/auth', tokenStore: localStorageTokenStore('my-app.tokens') })
 * ```
 */
export function localStorageTokenStore(key = 'latchkey.tokens', options: LocalStorageTokenStoreOptions = {}): TokenStore {
  const fallback = memoryTokenStore();
  let storage: WebStorageLike | null = options.storage ?? webStorage();
  /** Stops using storage whose write failed: it would hand back the tokens before the write. */
  const attempt = (write: (s: WebStorageLike) => void): boolean => {
    if (!storage) return false;
    try {
      write(storage);
      return true;
    } catch {
      storage = null;
      return false;
    }
  };

  return {
    get() {
      if (!storage) return fallback.get();
      try {
        return parseTokens(storage.getItem(key));
      } catch {
        return fallback.get();
      }
    },
    set(tokens) {
      fallback.set(tokens);
      attempt((s) => s.setItem(key, JSON.stringify(tokens)));
    },
    clear() {
      fallback.clear();
      attempt((s) => s.removeItem(key));
    },
    lock<T>(task: () => Promise<T>): Promise<T> {
      const locks = typeof navigator === 'object' ? (navigator as { locks?: LockManager }).locks : undefined;
      // `request` types the callback's promise as its value; the lock's promise resolves to the task's.
      return locks ? locks.request(`${key}.refresh`, task).then((result) => result) : fallback.lock!(task);
    },
  };
}

function webStorage(): WebStorageLike | null {
  try {
    return (globalThis as { localStorage?: WebStorageLike }).localStorage ?? null;
  } catch {
    return null; // a sandboxed frame throws on the mere access
  }
}

/** The stored value, if it has the shape of {@link StoredTokens}; anything else reads as signed out. */
function parseTokens(text: string | null): StoredTokens | null {
  if (!text) return null;
  const value = JSON.parse(text) as Partial<StoredTokens> | null;
  if (
    typeof value?.accessToken === 'string' &&
    typeof value.refreshToken === 'string' &&
    typeof value.expiresAt === 'number' &&
    typeof value.refreshAt === 'number'
  ) {
    return { accessToken: value.accessToken, refreshToken: value.refreshToken, expiresAt: value.expiresAt, refreshAt: value.refreshAt };
  }
  return null;
}
