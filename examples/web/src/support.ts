// An admin acting as an account through a support session (POST /auth/accounts/{id}/support-session).
//
// The support token lives in memory only, beside the admin's own session, which it never replaces: the
// admin's refresh token stays where it was (memory and sessionStorage) and keeps being renewed. While
// acting, signed-in calls go through a latchkey/client of their own, whose fetch adds the support token
// (session.ts asks here first). It cannot be renewed (a support session has no refresh token, and that
// client no session to refresh) and lasts 15 minutes; when it runs out, when the server refuses it,
// when the admin ends it, or when the page reloads, the page is the admin's again.
// Ending it revokes it on the server (RFC 7009 revocation of the access token ends its session).

import { createLatchkeyClient, isLatchkeyClientError, unwrap } from '../../../src/client/index.js';
import type { paths } from '../../../src/client/schema.js';
import { latchkeyLocation } from './group.js';
import type { Answer, AppPaths, DemoClient } from './session.js';
import type { Account, SupportSession } from './types.js';
import { handled } from './ui.js';

interface Acting {
  /** latchkey/client with the support token on every request, and no session of its own to refresh. */
  client: DemoClient;
  accessToken: string;
  expiresAt: number;
  account: Account;
}

/** Why acting stopped, for the admin page to say. */
export interface SupportEnd {
  message: string;
  kind: 'info' | 'success' | 'error';
}

let acting: Acting | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(end: SupportEnd | null) => void>();

/** Called with null when acting starts (or the account changes), and with the reason when it ends. */
export function onSupportChange(listener: (end: SupportEnd | null) => void): void {
  listeners.add(listener);
}

/** The account being acted as, or null when the page is the admin's own. */
export function actingAccount(): Account | null {
  return acting?.account ?? null;
}

/** When the support token runs out (ms since the epoch), or null. */
export function actingUntil(): number | null {
  return acting?.expiresAt ?? null;
}

/** Records an account that a call made while acting returned; false when it is not the acted-as one. */
export function setActingAccount(next: Account): boolean {
  if (!acting || acting.account.id !== next.id) return false;
  acting.account = next;
  notify(null);
  return true;
}

/** The RFC 8693 `act` claim of an access token (read, not verified: the server verifies it). */
export function actorOf(accessToken: string): string | null {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
    const act = (JSON.parse(json) as { act?: { sub?: unknown } }).act;
    return typeof act?.sub === 'string' ? act.sub : null;
  } catch {
    return null;
  }
}

/** Starts acting as the session's account, from now until its access token expires. */
export function startActing(session: SupportSession, openedAt: number): void {
  clearTimeout(expiryTimer);
  const expiresAt = openedAt + session.expiresIn * 1000;
  const { accessToken } = session;
  const client = createLatchkeyClient<paths & AppPaths>({
    ...latchkeyLocation(),
    fetch: (request) => {
      request.headers.set('authorization', `Bearer ${accessToken}`);
      return fetch(request);
    },
  });
  acting = { client, accessToken, expiresAt, account: session.account };
  const email = session.account.email.address;
  expiryTimer = setTimeout(() => void endActing(expired(email)), Math.max(0, expiresAt - Date.now()));
  notify(null);
}

/** Stops acting and revokes the support token; `end` is what the page says (default: ended). */
export async function endActing(end?: SupportEnd): Promise<void> {
  if (!acting) return;
  const { accessToken, account } = acting;
  clearActing();
  notify(end ?? { message: `The support session for ${account.email.address} has ended.`, kind: 'info' });
  await revokeSupportToken(accessToken);
}

/** Forgets the support session without a word (the admin signed out; session.ts says why). */
export function clearActing(): void {
  const token = acting?.accessToken;
  acting = null;
  clearTimeout(expiryTimer);
  if (token) void revokeSupportToken(token);
}

/** Ends a support session on the server; RFC 7009 answers 200 whatever the token, so failures are moot. */
export async function revokeSupportToken(accessToken: string): Promise<void> {
  try {
    await createLatchkeyClient(latchkeyLocation()).POST('/token/revoke', { body: { token: accessToken, tokenTypeHint: 'access_token' } });
  } catch {
    // It expires within 15 minutes anyway.
  }
}

/**
 * A signed-in call made while acting, through the support session's client (see `authed` in
 * session.ts). An expired or refused token (401) ends acting and says so; there is nothing to refresh.
 *
 * @throws LatchkeyClientError; {@link handled} when the support session is over (the listeners were told)
 */
export async function supportAuthed<T>(call: (api: DemoClient) => Promise<Answer<T>>): Promise<T> {
  const current = acting;
  if (!current) throw handled();
  const email = current.account.email.address;
  if (Date.now() >= current.expiresAt) {
    await endActing(expired(email));
    throw handled();
  }
  try {
    return unwrap(await call(current.client));
  } catch (error) {
    if (isLatchkeyClientError(error, 'unauthenticated') && acting === current) {
      await endActing({ message: `The server ended the support session for ${email}.`, kind: 'info' });
      throw handled();
    }
    throw error;
  }
}

function expired(email: string): SupportEnd {
  return { message: `The support session for ${email} ran out (support sessions last 15 minutes).`, kind: 'info' };
}

function notify(end: SupportEnd | null): void {
  for (const listener of listeners) listener(end);
}
