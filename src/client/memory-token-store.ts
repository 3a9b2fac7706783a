import type { StoredTokens, TokenStore } from './token-store.js';

/**
 * The default {@link TokenStore}: this page's (or process's) memory. A reload signs out, and nothing
 * outlives the page for injected script to find later. Its `lock` serialises refreshes among the
 * clients that share one instance.
 *
 * @example
 * ```ts
 * const store = memoryTokenStore()
 * const client = createLatchkeyClient({ baseUrl: 'https://app.example.com/auth', tokenStore: store })
 * ```
 */
export function memoryTokenStore(): TokenStore {
  let tokens: StoredTokens | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    get: () => tokens,
    set: (next) => {
      tokens = { ...next };
    },
    clear: () => {
      tokens = null;
    },
    lock<T>(task: () => Promise<T>): Promise<T> {
      const run = queue.then(task, task);
      queue = run.catch(() => {});
      return run;
    },
  };
}
