import { isLatchkeyClientError, LatchkeyClientError } from './errors.js';
import { storedTokens } from './stored-tokens.js';
import type { StoredTokens, TokenStore } from './token-store.js';
import type { SessionChange, TokenResponse } from './types.js';

/** What the {@link createSessionKeeper} works with. */
export interface SessionKeeperOptions {
  store: TokenStore;
  /** `POST /token/refresh` with this refresh token: the new token response, or a `LatchkeyClientError`. */
  exchange(refreshToken: string): Promise<TokenResponse>;
  /** The client's clock, in ms since the epoch. */
  now(): number;
  /** How long before expiry to refresh, in ms. */
  margin: number;
  /** Tells the listeners. */
  emit(change: SessionChange): void;
}

/** Keeps one session's tokens fresh: see {@link createSessionKeeper}. */
export interface SessionKeeper {
  /** The tokens to send now, refreshed first when they are due; null when signed out. */
  fresh(): Promise<StoredTokens | null>;
  /** Tokens newer than `seen` (the ones a 401 answered): another caller's, or one refresh's. */
  renew(seen: StoredTokens): Promise<StoredTokens>;
  /** Starts a session from a token response. */
  adopt(tokens: TokenResponse): Promise<void>;
  /** Resolves once no refresh is in flight (its outcome ignored). */
  settled(): Promise<void>;
}

/** How often, and how long apart, to look for the tokens of a concurrent refresh after `refresh_token_stale`. */
const STALE_POLLS = 20;
const STALE_POLL_MS = 100;
/** Refresh tokens this client got an answer for, remembered so that none is ever presented twice. */
const SPENT_KEPT = 32;

/**
 * The refresh logic of `latchkey/client`, around a {@link TokenStore}:
 *
 * - Single flight: however many calls find the tokens due (or get a 401 `unauthenticated`) at once, one
 *   `POST /token/refresh` goes out, and all of them wait for it. Refreshes run inside the store's
 *   `lock`, so other tabs or clients sharing the store wait too.
 * - Before refreshing, the store is read again: tokens that another tab or an earlier refresh has
 *   rotated meanwhile are used instead, so a refresh token is never presented twice (the server would
 *   take that for a stolen copy and revoke the session: `refresh_token_reused`).
 * - `refresh_token_stale` (a concurrent refresh elsewhere rotated it moments ago, inside the server's
 *   `refreshTokenReuseGrace`) waits for that refresh's tokens to reach the store.
 * - Any other 401 means the session is over: the store is cleared and listeners hear `ended`.
 * - A refresh that got no answer, a 429 or a 5xx leaves the tokens as they were, to be tried again:
 *   the token was not (knowingly) used. If it had in fact been used and its answer lost, the session was
 *   lost with it, and the retry's `refresh_token_reused` ends it here too.
 *
 * @example
 * ```ts
 * const keeper = createSessionKeeper({ store, exchange, now: Date.now, margin: 30_000, emit })
 * const tokens = await keeper.fresh()
 * ```
 */
export function createSessionKeeper(options: SessionKeeperOptions): SessionKeeper {
  const { store, exchange, now, margin, emit } = options;
  let inflight: Promise<StoredTokens> | null = null;
  const spent = new Set<string>();

  const spend = (token: string) => {
    spent.add(token);
    if (spent.size > SPENT_KEPT) spent.delete(spent.values().next().value!);
  };

  /** Clears the store if it still holds the tokens that `error` ended, and says so. */
  async function end(ended: StoredTokens, error: LatchkeyClientError): Promise<never> {
    const current = await store.get();
    if (current?.refreshToken === ended.refreshToken) {
      await store.clear();
      emit({ type: 'ended', error });
    }
    throw error;
  }

  /** After `refresh_token_stale`: the tokens of the refresh that beat ours, once it has stored them. */
  async function awaitRotation(sent: StoredTokens, error: LatchkeyClientError): Promise<StoredTokens> {
    for (let poll = 0; poll < STALE_POLLS; poll++) {
      const current = await store.get();
      if (!current) throw signedOut();
      if (current.refreshToken !== sent.refreshToken) return current;
      await new Promise((resolve) => setTimeout(resolve, STALE_POLL_MS));
    }
    throw error; // nothing was revoked: the next call tries again
  }

  async function rotate(seen: StoredTokens): Promise<StoredTokens> {
    const current = await store.get();
    if (!current) throw signedOut();
    // Rotated meanwhile (another tab, or a refresh that ended before this one began): use those.
    if (current.refreshToken !== seen.refreshToken && now() < current.expiresAt) return current;
    if (spent.has(current.refreshToken)) {
      // The store handed back a token already presented (it lost a write): presenting it would end
      // the session on the server, so it ends here instead.
      return end(current, new LatchkeyClientError('unauthenticated', 'The session was lost: sign in again.', { status: 401 }));
    }

    let response: TokenResponse;
    try {
      response = await exchange(current.refreshToken);
    } catch (error) {
      if (!isLatchkeyClientError(error)) throw error;
      const unused = error.code === 'network_error' || error.code === 'rate_limited' || error.status >= 500;
      if (unused) throw error;
      spend(current.refreshToken);
      if (error.code === 'refresh_token_stale') return awaitRotation(current, error);
      if (error.status === 401) return end(current, error);
      throw error;
    }
    spend(current.refreshToken);

    const next = storedTokens(response, now(), margin);
    const latest = await store.get();
    // Signed out, or into another session, while the refresh was on its way: that one stands.
    if (latest?.refreshToken !== current.refreshToken) {
      if (!latest) throw signedOut();
      return latest;
    }
    await store.set(next);
    emit({ type: 'refreshed', account: response.account });
    return next;
  }

  function renew(seen: StoredTokens): Promise<StoredTokens> {
    inflight ??= (store.lock ? store.lock(() => rotate(seen)) : rotate(seen)).finally(() => {
      inflight = null;
    });
    return inflight;
  }

  return {
    async fresh() {
      const tokens = await store.get();
      if (!tokens || now() < tokens.refreshAt) return tokens;
      return renew(tokens);
    },
    renew,
    async adopt(tokens) {
      await store.set(storedTokens(tokens, now(), margin));
      emit({ type: 'signed_in', account: tokens.account });
    },
    async settled() {
      await inflight?.catch(() => {});
    },
  };
}

/** The error of a call that needs a session when there is none. */
export function signedOut(): LatchkeyClientError {
  return new LatchkeyClientError('unauthenticated', 'Not signed in.', { status: 401 });
}
