// latchkey's administration routes (docs/http-api.md, "Administration"), as the demo's admin page calls
// them through latchkey/client's typed passthrough (see api.ts). Every one needs the `admin` role, which
// the server checks on each call: the page only hides what a non-admin could not use anyway.

import type { paths } from '../../../src/client/schema.js';
import { authed } from './session.js';
import type { ImportRow } from './types.js';

/** The filters of `GET /accounts` that the page offers, as its form reads them; empty ones are left out. */
export interface AccountSearch {
  q?: string;
  status?: string;
  verified?: string;
  role?: string;
  orderBy?: string;
  limit?: number;
  cursor?: string | null;
}

/** The query of `GET /accounts`, as the generated schema types it. */
type AccountQuery = NonNullable<paths['/accounts']['get']['parameters']['query']>;

const id = (value: string) => ({ path: { id: value } });

export const searchAccounts = (search: AccountSearch) => {
  // The form's selects offer only the values the query takes (`status`, `verified`, `orderBy`), and the
  // server checks them all the same (400 `validation_failed`).
  const given = Object.entries(search).filter(([, value]) => value !== undefined && value !== null && value !== '');
  const query = Object.fromEntries(given) as AccountQuery;
  return authed((api) => api.GET('/accounts', { params: { query } }));
};

export const getAccountById = (account: string) => authed((api) => api.GET('/accounts/{id}', { params: id(account) }));

/** A JSON merge patch: only what is given changes (`roles` is the whole new set). */
export interface AccountPatch {
  name?: { first: string | null; last: string | null };
  email?: string;
  roles?: string[];
}

export const updateAccount = (account: string, patch: AccountPatch) =>
  authed((api) => api.PATCH('/accounts/{id}', { params: id(account), body: patch }));

export const lockAccount = (account: string) => authed((api) => api.POST('/accounts/{id}/lock', { params: id(account) }));

export const unlockAccount = (account: string) => authed((api) => api.POST('/accounts/{id}/unlock', { params: id(account) }));

/** A hard delete: the account, its credentials, sessions and history are gone at once. */
export const deleteAccountById = (account: string) => authed((api) => api.DELETE('/accounts/{id}', { params: id(account) }));

/** 403 `forbidden` unless the account allowed support sign-in. */
export const openSupportSession = (account: string) =>
  authed((api) => api.POST('/accounts/{id}/support-session', { params: id(account) }));

export const importAccounts = (rows: ImportRow[]) => authed((api) => api.POST('/accounts/import', { body: rows }));

const page = (cursor: string | null, limit: number) => ({ query: { limit, ...(cursor ? { cursor } : {}) } });

export const listAudit = (cursor: string | null, limit = 20) => authed((api) => api.GET('/audit', { params: page(cursor, limit) }));

// --- webhooks (api.md, "Webhook endpoints and the event feed") ---

/** A group has at most 20 endpoints: one page holds them all. */
export const listWebhooks = () => authed((api) => api.GET('/webhooks', { params: page(null, 20) }));

/** `events` absent: every event. The answer's `secret` is shown this once. */
export const createWebhook = (body: { url: string; events?: string[]; description?: string }) =>
  authed((api) => api.POST('/webhooks', { body }));

export const setWebhookDisabled = (webhook: string, disabled: boolean) =>
  authed((api) => api.PATCH('/webhooks/{id}', { params: id(webhook), body: { disabled } }));

export const deleteWebhook = (webhook: string) => authed((api) => api.DELETE('/webhooks/{id}', { params: id(webhook) }));

/** A new secret, shown this once; the previous one keeps signing too for 24 hours. */
export const rotateWebhookSecret = (webhook: string) => authed((api) => api.POST('/webhooks/{id}/secret', { params: id(webhook) }));

/** A `webhook.test` event to this endpoint only (202): its delivery shows in the log. */
export const sendTestWebhook = (webhook: string) => authed((api) => api.POST('/webhooks/{id}/test', { params: id(webhook) }));

/** Newest first. */
export const listWebhookDeliveries = (webhook: string, cursor: string | null, limit = 10) =>
  authed((api) => api.GET('/webhooks/{id}/deliveries', { params: { ...id(webhook), ...page(cursor, limit) } }));

export const retryWebhookDelivery = (webhook: string, delivery: string) =>
  authed((api) => api.POST('/webhooks/{id}/deliveries/{deliveryId}/retry', { params: { path: { id: webhook, deliveryId: delivery } } }));
