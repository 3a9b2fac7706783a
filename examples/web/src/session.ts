// The session, through latchkey/client: the client signs in, keeps the tokens in the demo's store
// (tab-token-store.ts: the access token in memory, the refresh token also in this tab's sessionStorage,
// one entry per group), renews them for a call made in the last 60 seconds before they expire and after
// a 401, one refresh at a time, and hands back every answer typed by the API's generated schema.
// docs/tokens.md ("Browser apps") says why the tokens live where they do. This module keeps what the
// page shows of the session: the signed-in account, and why a session ended.

import {
  createLatchkeyClient,
  isLatchkeyClientError,
  type LatchkeyClient,
  type LatchkeyClientError,
  type SessionChange,
  type TokenResponse,
  unwrap,
} from '../../../src/client/index.js';
import type { paths } from '../../../src/client/schema.js';
import { currentGroup, latchkeyLocation } from './group.js';
import { actingAccount, clearActing, setActingAccount, supportAuthed } from './support.js';
import { type TabTokenStore, tabTokenStore } from './tab-token-store.js';
import type { Account, Me } from './types.js';
import { handled } from './ui.js';

const STORAGE_KEY = 'latchkey-demo.refresh-token';
/** Refresh this many seconds before the access token expires. */
const REFRESH_MARGIN = 60;

/**
 * The demo app's own protected route, in the shape openapi-typescript gives latchkey's routes, so that
 * the client calls it with the session's access token (refreshed when due) as it calls latchkey's. It
 * is not under latchkey's mount, so calls give the page's origin as their `baseUrl`.
 */
export interface AppPaths {
  '/api/me': MeRoute<{ query?: never; header?: never; path?: never; cookie?: never }>;
  '/api/{group}/me': MeRoute<{ query?: never; header?: never; path: { group: string }; cookie?: never }>;
}

type MeRoute<Parameters> = {
  parameters: Parameters;
  get: {
    parameters: Parameters;
    requestBody?: never;
    responses: { 200: { headers: { [name: string]: unknown }; content: { 'application/json': Me } } };
  };
};

/** latchkey/client, typed with latchkey's routes and the app's own. */
export type DemoClient = LatchkeyClient<paths & AppPaths>;

/** What a call through the typed passthrough answers: openapi-fetch's `{ data, error, response }`. */
export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Why the session ended, for the sign-in page to say. */
export interface SessionEnd {
  message: string;
  kind: 'info' | 'success' | 'error';
  /** Where to go next (default: the sign-in page). */
  route?: 'sign-in' | 'unlock';
}

type Listener = (end: SessionEnd | null) => void;
const listeners = new Set<Listener>();

/** Tabs say here that they signed out (and tab-token-store.ts that they rotated a refresh token). */
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('latchkey-demo') : null;
type Ended = { type: 'ended'; key: string; refreshToken: string };

let session: { client: DemoClient; store: TabTokenStore; key: string } | null = null;
let account: Account | null = null;

/**
 * The client of the page's group, made at its first use: after group.ts has learned the group (main.ts
 * restores the session only then), since a group's tokens are refused by every other group.
 */
export function client(): DemoClient {
  return open().client;
}

function open(): NonNullable<typeof session> {
  if (session) return session;
  const group = currentGroup();
  const key = group === null ? STORAGE_KEY : `${STORAGE_KEY}.${group}`;
  const store = tabTokenStore(key, channel);
  const opened = createLatchkeyClient<paths & AppPaths>({ ...latchkeyLocation(), tokenStore: store, refreshMargin: REFRESH_MARGIN });
  opened.onSessionChange(changed);
  channel?.addEventListener('message', (event: MessageEvent<Ended>) => {
    const { type, key: of, refreshToken } = event.data;
    if (type === 'ended' && of === key && refreshToken === store.get()?.refreshToken) {
      endLocally({ message: 'You signed out in another tab.', kind: 'info' });
    }
  });
  session = { client: opened, store, key };
  return session;
}

function changed(change: SessionChange): void {
  if (change.type === 'signed_in' || change.type === 'refreshed') {
    account = change.account;
    notify(null);
  } else if (change.type === 'ended') {
    // The server would not renew it (revoked, expired, or its refresh token used twice).
    endLocally(endOf(change.error));
  }
}

/** Called with null when a session starts (or its account changes), and with the reason when it ends. */
export function onSessionChange(listener: Listener): void {
  listeners.add(listener);
}

export function isSignedIn(): boolean {
  return session?.store.get() != null;
}

/**
 * The account the page is about, as last seen (from the sign-in or the latest account call): the one
 * an admin acts as during a support session (support.ts), else the signed-in one.
 */
export function currentAccount(): Account | null {
  return actingAccount() ?? account;
}

/** The signed-in account itself, even while its admin acts as another in a support session. */
export function ownAccount(): Account | null {
  return account;
}

/** Records an account that an API call returned. */
export function setAccount(next: Account): void {
  if (setActingAccount(next)) return;
  account = next;
  notify(null);
}

/** Starts a session from a token response the client did not get itself (a passkey, an unlock). */
export async function startSession(tokens: TokenResponse): Promise<void> {
  await client().startSession(tokens);
}

/**
 * On page load: a refresh token kept in sessionStorage is rotated right away (the old one dies), and
 * the new pair starts the session. Resolves false when there was none or it no longer works.
 */
export async function restoreSession(): Promise<boolean> {
  const { client: restored, store } = open();
  if (!store.get()) return false;
  try {
    await restored.refresh();
    return true;
  } catch (error) {
    // No answer at all: keep the token, the next call tries again. A 401 ended the session (`changed`
    // said why); anything else (429, 5xx) leaves it to the next call.
    if (isLatchkeyClientError(error, 'network_error')) throw error;
    return false;
  }
}

/**
 * A signed-in call through the client's typed passthrough: `call` gets the client (the support
 * session's while an admin acts as an account, see support.ts) and makes one call, whose answer is
 * unwrapped: its data, or its error thrown as a `LatchkeyClientError` with the server's code and message.
 *
 * @throws LatchkeyClientError; {@link handled} when the session ended meanwhile (the listeners were told)
 */
export async function authed<T>(call: (api: DemoClient) => Promise<Answer<T>>): Promise<T> {
  if (!isSignedIn()) throw handled();
  if (actingAccount()) return supportAuthed(call);
  try {
    return unwrap(await call(client()));
  } catch (error) {
    if (!isSignedIn()) throw handled(); // the sign-in page says why
    throw error;
  }
}

/**
 * Signs out: the server revokes the session (POST /auth/logout, or /auth/{group}/logout), and this tab
 * forgets the tokens and says `end` (default: "You are signed out.").
 */
export async function signOut(end: SessionEnd = { message: 'You are signed out.', kind: 'info' }): Promise<void> {
  const refreshToken = session?.store.get()?.refreshToken;
  if (session && refreshToken) {
    const { client: signedIn, key } = session;
    try {
      await signedIn.logout();
    } catch {
      // The session may be gone already; either way this tab is done with it (logout forgot it).
    }
    channel?.postMessage({ type: 'ended', key, refreshToken } satisfies Ended);
  }
  endLocally(end);
}

/**
 * Forgets the session in this tab without asking the server: after the server ended it (panic lock,
 * account deletion) or refused to renew it.
 */
export function endLocally(end: SessionEnd): void {
  clearActing();
  session?.store.clear();
  account = null;
  notify(end);
}

function endOf(error: LatchkeyClientError): SessionEnd {
  if (error.code === 'refresh_token_reused') {
    return {
      kind: 'error',
      message:
        'Your session was ended because its refresh token was used twice, which is how a copied token shows. Sign in again.',
    };
  }
  return { kind: 'info', message: 'Your session has ended. Sign in again.' };
}

function notify(end: SessionEnd | null): void {
  for (const listener of listeners) listener(end);
}
