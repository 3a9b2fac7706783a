// The demo's TokenStore for latchkey/client (docs/tokens.md, "Browser apps"):
//
// - The access token lives in memory only. Script injected into the page could use it while the page
//   is open, but it is gone with the page and lasts 15 minutes anyway.
// - The refresh token lives in memory and in sessionStorage, so that a reload keeps the session: this
//   tab only, gone when the tab closes, never in localStorage (which every tab and every later visit
//   would share). After a reload the store has no access token, so the client's first call refreshes.
// - Refreshes run under a Web Lock shared by the tabs. A duplicated tab starts with a copy of the same
//   refresh token, so each rotation is announced on a BroadcastChannel, and a tab still holding the
//   rotated token adopts the new pair instead of presenting the old one (which would look like theft
//   and end the session for both).

import type { StoredTokens, TokenStore } from '../../../src/client/index.js';

/** A {@link TokenStore} whose reads and writes are synchronous, so the page can ask it as it renders. */
export interface TabTokenStore extends TokenStore {
  get(): StoredTokens | null;
  set(tokens: StoredTokens): void;
  clear(): void;
}

/** A rotation, announced to the other tabs of the origin (and the same key). */
interface Rotated {
  type: 'rotated';
  key: string;
  previous: string;
  tokens: StoredTokens;
}

/** The tokens of this tab under `key` (one key per group), as described above. */
export function tabTokenStore(key: string, channel: BroadcastChannel | null): TabTokenStore {
  let tokens: StoredTokens | null = null;
  const stored = readStored(key);
  if (stored) tokens = { accessToken: '', refreshToken: stored, expiresAt: 0, refreshAt: 0 };

  const keep = (next: StoredTokens | null) => {
    tokens = next && { ...next };
    writeStored(key, next?.refreshToken ?? null);
  };

  channel?.addEventListener('message', (event: MessageEvent<Rotated>) => {
    const message = event.data;
    if (message.type === 'rotated' && message.key === key && message.previous === tokens?.refreshToken) keep(message.tokens);
  });

  return {
    get: () => tokens,
    set(next) {
      const previous = tokens?.refreshToken;
      keep(next);
      if (previous && previous !== next.refreshToken) {
        channel?.postMessage({ type: 'rotated', key, previous, tokens: next } satisfies Rotated);
      }
    },
    clear: () => keep(null),
    lock<T>(task: () => Promise<T>): Promise<T> {
      if (!('locks' in navigator)) return task(); // one client per tab: it runs one refresh at a time
      return navigator.locks.request(`${key}.refresh`, task).then((result) => result);
    },
  };
}

function readStored(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null; // storage disabled: the session lasts as long as the page
  }
}

function writeStored(key: string, refreshToken: string | null): void {
  try {
    if (refreshToken) sessionStorage.setItem(key, refreshToken);
    else sessionStorage.removeItem(key);
  } catch {
    // storage disabled: memory only
  }
}
