// latchkey's administration routes under /auth (or /auth/{group}, see group.ts; docs/http-api.md,
// "Administration"), as the demo's admin page calls them. Every one needs the `admin` role, which the
// server checks on each call: the page only hides what a non-admin could not use anyway.

import { authBase } from './group.js';
import { authed } from './session.js';
import type { Account, AuditEntry, ImportResult, ImportRow, Page, SupportSession } from './types.js';

/** The filters of `GET /accounts` that the page offers; empty ones are left out of the query. */
export interface AccountSearch {
  q?: string;
  status?: string;
  verified?: string;
  role?: string;
  orderBy?: string;
  limit?: number;
  cursor?: string | null;
}

const account = (id: string) => `${authBase()}/accounts/${encodeURIComponent(id)}`;

export const searchAccounts = (search: AccountSearch) => {
  const query: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(search)) if (value !== undefined && value !== null && value !== '') query[key] = value;
  return authed<Page<Account>>('GET', `${authBase()}/accounts`, { query });
};

export const getAccountById = (id: string) => authed<Account>('GET', account(id));

/** A JSON merge patch: only what is given changes (`roles` is the whole new set). */
export interface AccountPatch {
  name?: { first: string | null; last: string | null };
  email?: string;
  roles?: string[];
}

export const updateAccount = (id: string, patch: AccountPatch) => authed<Account>('PATCH', account(id), { body: patch });

export const lockAccount = (id: string) => authed<Account>('POST', `${account(id)}/lock`);

export const unlockAccount = (id: string) => authed<Account>('POST', `${account(id)}/unlock`);

/** A hard delete: the account, its credentials, sessions and history are gone at once. */
export const deleteAccountById = (id: string) => authed<Account>('DELETE', account(id));

/** 403 `forbidden` unless the account allowed support sign-in. */
export const openSupportSession = (id: string) => authed<SupportSession>('POST', `${account(id)}/support-session`);

export const importAccounts = (rows: ImportRow[]) => authed<ImportResult>('POST', `${authBase()}/accounts/import`, { body: rows });

export const listAudit = (cursor: string | null, limit = 20) => authed<Page<AuditEntry>>('GET', `${authBase()}/audit`, { query: { limit, cursor } });
