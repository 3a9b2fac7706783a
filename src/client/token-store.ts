/** The tokens of one session, as a {@link TokenStore} keeps them. */
export interface StoredTokens {
  accessToken: string;
  /** Single use: every refresh returns a new one, and presenting a used one ends the session. */
  refreshToken: string;
  /** When the access token expires, in milliseconds since the epoch (the client's clock). */
  expiresAt: number;
  /** When the client refreshes it ahead of expiry: `expiresAt` less the skew margin. */
  refreshAt: number;
}

/**
 * Where `latchkey/client` keeps the session's tokens. Every method may be synchronous or return a
 * promise. The client reads the store before every call and again before every refresh, so a store
 * shared between tabs or instances (localStorage) hands each of them the newest tokens.
 *
 * `lock`, when a store has it, runs `task` while no other holder of the same store runs one: the client
 * refreshes inside it, so that two tabs sharing the store never both present one refresh token (the
 * server would take the second for a stolen copy and end the session). A store kept by one client
 * alone needs none.
 *
 * @example
 * ```ts
 * // Tokens in a cookie-less native app's secure storage.
 * const store: TokenStore = {
 *   get: async () => JSON.parse((await SecureStore.getItemAsync('tokens')) ?? 'null'),
 *   set: (tokens) => SecureStore.setItemAsync('tokens', JSON.stringify(tokens)),
 *   clear: () => SecureStore.deleteItemAsync('tokens'),
 * }
 * ```
 */
export interface TokenStore {
  /** The current tokens, or null when signed out. */
  get(): StoredTokens | null | Promise<StoredTokens | null>;
  /** Replaces the tokens (after a login or a refresh). */
  set(tokens: StoredTokens): void | Promise<void>;
  /** Forgets them (after a logout, or when the session ended). */
  clear(): void | Promise<void>;
  /** Runs `task` exclusively among everyone sharing this store (optional; see above). */
  lock?<T>(task: () => Promise<T>): Promise<T>;
}
