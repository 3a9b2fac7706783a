// Where the tokens live, and how they are kept fresh. docs/tokens.md ("Storing tokens in clients") says
// why:
//
// - The access token lives in memory only (this module's variables). Script injected into the page
//   could use it while the page is open, but it is gone with the page and lasts 15 minutes anyway.
// - The refresh token lives in memory and in sessionStorage, so that a reload keeps the session: this
//   tab only, gone when the tab closes, never in localStorage (which every tab and every later visit
//   would share). Script injected into the page could read it, which is why it is single-use: every
//   load and every refresh rotates it, and a stolen copy used after us (or before us) is detected as
//   reuse and ends the session. A production app would keep it out of reach of script altogether, in
//   an HttpOnly, Secure, SameSite=Strict cookie set by its own backend. In multi-group mode (group.ts)
//   each group has its own entry, since a group's token is refused by every other group.
// - Refreshes are serialised: one at a time in this tab, and across tabs with a Web Lock. A duplicated
//   tab starts with a copy of the same refresh token, so each rotation is announced on a
//   BroadcastChannel and a tab holding the rotated token adopts the new pair instead of presenting the
//   old one (which would look like theft and end the session for both).

import { authBase, currentGroup } from './group.js';
import { ApiError, request, type RequestOptions } from './http.js';
import { actingAccount, clearActing, setActingAccount, supportAuthed } from './support.js';
import type { Account, TokenResponse } from './types.js';

const STORAGE_KEY = 'latchkey-demo.refresh-token';
const LOCK_NAME = 'latchkey-demo.refresh';
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

let accessToken: string | null = null;
let accessExpiresAt = 0;
let refreshToken: string | null = null;
let account: Account | null = null;
let refreshing: Promise<void> | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** Why the session ended, for the sign-in page to say. */
export interface SessionEnd {
  message: string;
  kind: 'info' | 'success' | 'error';
  /** Where to go next (default: the sign-in page). */
  route?: 'sign-in' | 'unlock';
}

type Listener = (end: SessionEnd | null) => void;
const listeners = new Set<Listener>();

type TabMessage = { type: 'rotated'; previous: string; tokens: TokenResponse } | { type: 'ended'; refreshToken: string };
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('latchkey-demo') : null;

channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => {
  const message = event.data;
  if (!refreshToken) return;
  if (message.type === 'rotated' && message.previous === refreshToken) adopt(message.tokens);
  if (message.type === 'ended' && message.refreshToken === refreshToken) {
    endLocally({ message: 'You signed out in another tab.', kind: 'info' });
  }
});

/** Called with null when a session starts (or its account changes), and with the reason when it ends. */
export function onSessionChange(listener: Listener): void {
  listeners.add(listener);
}

export function isSignedIn(): boolean {
  return refreshToken !== null;
}

/**
 * The account the page is about, as last seen (from the token response or the latest account call):
 * the one an admin acts as during a support session (support.ts), else the signed-in one.
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

/** Starts a session from a token response (login, second step, passkey, unlock). */
export function startSession(tokens: TokenResponse): void {
  adopt(tokens);
}

/**
 * On page load: a refresh token kept in sessionStorage is rotated right away (the old one dies), and
 * the new pair starts the session. Resolves false when there was none or it no longer works.
 */
export async function restoreSession(): Promise<boolean> {
  const stored = readStored();
  if (!stored) return false;
  refreshToken = stored;
  try {
    await refresh();
    return true;
  } catch (error) {
    // No answer at all: keep the token, the next call tries again. Anything else ended the session.
    if (error instanceof ApiError && error.code === 'network_error') throw error;
    return false;
  }
}

/**
 * A call with the access token. A token about to expire is refreshed first; a 401 `unauthenticated`
 * (the access token expired or was revoked meanwhile) gets one refresh and one retry.
 *
 * @throws ApiError; `session_ended` when the session could not be renewed (the listeners were told)
 */
export async function authed<T>(method: string, path: string, options: Omit<RequestOptions, 'token'> = {}): Promise<T> {
  if (!refreshToken) throw sessionEnded();
  // Acting as an account in a support session: its token, never refreshed, and the own one left alone.
  if (actingAccount()) return supportAuthed<T>(method, path, options);
  if (!accessToken || Date.now() > accessExpiresAt - 10_000) await refresh();
  try {
    return await request<T>(method, path, { ...options, token: accessToken });
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'unauthenticated') throw error;
    await refresh();
    return request<T>(method, path, { ...options, token: accessToken });
  }
}

/**
 * Signs out: the server revokes the session (POST /auth/logout, or /auth/{group}/logout), and this tab
 * forgets the tokens and says `end` (default: "You are signed out.").
 */
export async function signOut(end: SessionEnd = { message: 'You are signed out.', kind: 'info' }): Promise<void> {
  const token = refreshToken;
  if (token) {
    try {
      await request('POST', `${authBase()}/logout`, { body: { refreshToken: token } });
    } catch {
      // The session may be gone already; either way this tab is done with it.
    }
    channel?.postMessage({ type: 'ended', refreshToken: token } satisfies TabMessage);
  }
  endLocally(end);
}

/**
 * Forgets the session in this tab without asking the server: after the server ended it (panic lock,
 * account deletion) or refused to renew it.
 */
export function endLocally(end: SessionEnd): void {
  clearActing();
  accessToken = null;
  accessExpiresAt = 0;
  refreshToken = null;
  account = null;
  clearTimeout(refreshTimer);
  writeStored(null);
  notify(end);
}

/** One refresh at a time in this tab, and in all tabs (Web Locks, where the browser has them). */
function refresh(): Promise<void> {
  refreshing ??= withLock(async () => {
    const presented = refreshToken;
    if (!presented) throw sessionEnded();
    let tokens: TokenResponse;
    try {
      tokens = await request<TokenResponse>('POST', `${authBase()}/token/refresh`, { body: { refreshToken: presented } });
    } catch (error) {
      if (refreshToken !== presented) return; // another tab rotated it meanwhile and told us
      if (error instanceof ApiError && error.status === 401) {
        endLocally(endOf(error));
        throw sessionEnded();
      }
      throw error;
    }
    adopt(tokens);
    channel?.postMessage({ type: 'rotated', previous: presented, tokens } satisfies TabMessage);
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function withLock(task: () => Promise<void>): Promise<void> {
  const before = refreshToken;
  if (!('locks' in navigator)) return task();
  await navigator.locks.request(LOCK_NAME, async () => {
    // While this tab waited, another may have rotated the token it held and handed over the new pair.
    if (refreshToken !== before && refreshToken !== null && Date.now() < accessExpiresAt - REFRESH_MARGIN_MS) return;
    await task();
  });
}

function adopt(tokens: TokenResponse): void {
  accessToken = tokens.accessToken;
  accessExpiresAt = Date.now() + tokens.expiresIn * 1000;
  refreshToken = tokens.refreshToken;
  account = tokens.account;
  writeStored(tokens.refreshToken);
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(
    () => void refresh().catch(() => {}),
    Math.max(5_000, tokens.expiresIn * 1000 - REFRESH_MARGIN_MS),
  );
  notify(null);
}

function endOf(error: ApiError): SessionEnd {
  if (error.code === 'refresh_token_reused') {
    return {
      kind: 'error',
      message:
        'Your session was ended because its refresh token was used twice, which is how a copied token shows. Sign in again.',
    };
  }
  return { kind: 'info', message: 'Your session has ended. Sign in again.' };
}

function sessionEnded(): ApiError {
  return new ApiError(401, 'session_ended', 'You are signed out.');
}

function notify(end: SessionEnd | null): void {
  for (const listener of listeners) listener(end);
}

function readStored(): string | null {
  try {
    return sessionStorage.getItem(storageKey());
  } catch {
    return null; // storage disabled: the session lasts as long as the page
  }
}

function writeStored(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(storageKey(), token);
    else sessionStorage.removeItem(storageKey());
  } catch {
    // storage disabled: memory only
  }
}

/** Where the refresh token is kept: one entry, or one per group in multi-group mode. */
function storageKey(): string {
  const group = currentGroup();
  return group === null ? STORAGE_KEY : `${STORAGE_KEY}.${group}`;
}
