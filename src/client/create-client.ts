import createClient, { type Client } from 'openapi-fetch';
import { errorFromAnswer } from './errors.js';
import { authedFetch } from './authed-fetch.js';
import { memoryTokenStore } from './memory-token-store.js';
import type { paths } from './schema.js';
import { type RequestSender, sender } from './send.js';
import { createSessionKeeper, signedOut } from './session-keeper.js';
import * as signIn from './sign-in.js';
import type { TokenStore } from './token-store.js';
import type { Account, LoginResult, SessionChange, SignedIn, TokenResponse } from './types.js';
import { unwrap } from './unwrap.js';

/** Options of {@link createLatchkeyClient}. */
export interface LatchkeyClientOptions {
  /** Where latchkey's routes are mounted: `https://app.example.com/auth`, or `/auth` in a browser. */
  baseUrl: string;
  /** The group, for a server mounted with `groups: true` (paths become `/auth/{group}/…`). */
  group?: string;
  /** Where the tokens live (default {@link memoryTokenStore}: gone on reload). */
  tokenStore?: TokenStore;
  /** The `fetch` to send with (default: the global one). */
  fetch?: RequestSender;
  /** Seconds before the access token's expiry to refresh it (default 30; at most half its life). */
  refreshMargin?: number;
  /** The clock, in ms since the epoch (default `Date.now`); tests pass one they move by hand. */
  now?: () => number;
}

/**
 * latchkey's HTTP API for browsers and Node: the sign-in flows, and every route typed through
 * openapi-fetch (`GET`, `POST`, `PATCH`, `PUT`, `DELETE`, `request` …) with the access token added and
 * kept fresh. Passthrough calls resolve to openapi-fetch's `{ data, error, response }` for every answer
 * (see {@link unwrap}); they reject with a `LatchkeyClientError` only when they could not be made: no
 * answer (`network_error`), or a session that could not be renewed (the refresh's code).
 */
export interface LatchkeyClient<Paths extends {} = paths> extends Client<Paths> {
  /**
   * Creates an account (`POST /accounts`); it does not sign in.
   * @throws LatchkeyClientError `validation_failed`, `registration_closed`, `rate_limited`
   */
  register(input: signIn.RegisterInput): Promise<Account>;
  /**
   * Signs in with a password: `signed_in`, or `two_factor_required` with the `methods` and `challenge`.
   * @throws LatchkeyClientError `invalid_credentials`, `invalid_two_factor`, `account_locked`, `rate_limited` …
   */
  login(input: signIn.LoginInput): Promise<LoginResult>;
  /**
   * Finishes a login that answered `two_factor_required`, with a code or a recovery code.
   * @throws LatchkeyClientError `invalid_two_factor`, `invalid_token` (challenge expired or used), `rate_limited`
   */
  completeTwoFactorLogin(input: signIn.CompleteTwoFactorInput): Promise<SignedIn>;
  /**
   * Has a login code sent by email or SMS for a pending `two_factor_required` challenge.
   * @throws LatchkeyClientError `invalid_token`, `rate_limited`, `mail_delivery_failed`, `sms_delivery_failed`
   */
  sendTwoFactorCode(input: signIn.SendTwoFactorCodeInput): Promise<void>;
  /** Starts a session from a token response got through the passthrough (a passkey, an unlock). */
  startSession(tokens: TokenResponse): Promise<SignedIn>;
  /**
   * Renews the tokens now (calls do it by themselves when needed).
   * @throws LatchkeyClientError `unauthenticated` (signed out, or the session ended), `refresh_token_reused` …
   */
  refresh(): Promise<void>;
  /**
   * Ends the session on the server (`POST /logout`) and forgets its tokens; they are forgotten even when
   * the server cannot be told.
   * @throws LatchkeyClientError `network_error` and the like, after the tokens are forgotten
   */
  logout(): Promise<void>;
  /**
   * The signed-in account (`GET /account`).
   * @throws LatchkeyClientError `unauthenticated` when signed out or the session ended
   */
  account(): Promise<Account>;
  /** Whether the store holds a session (the server may still have ended it). */
  isSignedIn(): Promise<boolean>;
  /** Calls `listener` on every {@link SessionChange}; returns the function that stops it. */
  onSessionChange(listener: (change: SessionChange) => void): () => void;
}

/**
 * A typed client of latchkey's HTTP API. Tokens live in `tokenStore`; they are refreshed ahead of
 * expiry and on a 401 `unauthenticated`, one refresh for all the calls that need it (see
 * `createSessionKeeper`). `Paths` is the type of the API's routes, by default the one of this package
 * (`src/client/schema.ts`); an app that serves routes of its own can pass its own generated type.
 *
 * @example
 * ```ts
 * const client = createLatchkeyClient({ baseUrl: '/auth', tokenStore: localStorageTokenStore() })
 * const result = await client.login({ email, password })
 * if (result.status === 'two_factor_required') await client.completeTwoFactorLogin({ challenge: result.challenge, code })
 * const { data } = await client.GET('/account/sessions')
 * ```
 */
export function createLatchkeyClient<Paths extends {} = paths>(options: LatchkeyClientOptions): LatchkeyClient<Paths> {
  const baseUrl = options.group === undefined ? options.baseUrl : `${options.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.group)}`;
  const store = options.tokenStore ?? memoryTokenStore();
  const send = sender(options.fetch);
  const listeners = new Set<(change: SessionChange) => void>();
  /** A listener that throws is reported (as uncaught), never in the way of the call that changed the session. */
  const emit = (change: SessionChange) => {
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
      }
    }
  };
  const api = createClient<paths>({ baseUrl, fetch: send });
  const keeper = createSessionKeeper({
    store,
    now: options.now ?? Date.now,
    margin: (options.refreshMargin ?? 30) * 1000,
    exchange: async (refreshToken) => unwrap(await api.POST('/token/refresh', { body: { refreshToken } })),
    emit,
  });
  const authed = createClient<paths>({ baseUrl, fetch: authedFetch(keeper, send) });
  const context: signIn.SignInContext = { api, keeper };

  const client: Omit<LatchkeyClient<paths>, keyof Client<paths>> = {
    register: (input) => signIn.register(context, input),
    login: (input) => signIn.login(context, input),
    completeTwoFactorLogin: (input) => signIn.completeTwoFactorLogin(context, input),
    sendTwoFactorCode: (input) => signIn.sendTwoFactorCode(context, input),
    startSession: (tokens) => signIn.start(context, tokens),
    async refresh() {
      const tokens = await store.get();
      if (!tokens) throw signedOut();
      await keeper.renew(tokens);
    },
    async logout() {
      await keeper.settled(); // so that the newest refresh token is the one revoked
      const tokens = await store.get();
      if (!tokens) return;
      await store.clear();
      emit({ type: 'signed_out' });
      const { error, response } = await api.POST('/logout', { body: { refreshToken: tokens.refreshToken } });
      // 401: the session had ended already.
      if (!response.ok && response.status !== 401) throw errorFromAnswer(response, error);
    },
    account: async () => unwrap(await authed.GET('/account')),
    isSignedIn: async () => (await store.get()) !== null,
    onSessionChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  return Object.assign(authed as unknown as Client<Paths>, client);
}
