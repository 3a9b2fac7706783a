// latchkey's administration routes under /auth (or /auth/{group}, see group.ts; docs/http-api.md,
// "Administration"), as the demo's admin page calls them. Every one needs the `admin` role, which the
// server checks on each call: the page only hides what a non-admin could not use anyway.

import { authBase } from './group.js';
import { authed } from './session.js';
import type { Account, AuditEntry, CreatedWebhookEndpoint, ImportResult, ImportRow, Page, SupportSession, WebhookDelivery, WebhookEndpoint } from './types.js';

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

// --- webhooks (api.md, "Webhook endpoints and the event feed") ---

const webhook = (id: string) => `${authBase()}/webhooks/${encodeURIComponent(id)}`;

/** A group has at most 20 endpoints: one page holds them all. */
export const listWebhooks = () => authed<Page<WebhookEndpoint>>('GET', `${authBase()}/webhooks`, { query: { limit: 20 } });

/** `events` absent: every event. The answer's `secret` is shown this once. */
export const createWebhook = (body: { url: string; events?: string[]; description?: string }) =>
  authed<CreatedWebhookEndpoint>('POST', `${authBase()}/webhooks`, { body });

export const setWebhookDisabled = (id: string, disabled: boolean) => authed<WebhookEndpoint>('PATCH', webhook(id), { body: { disabled } });

export const deleteWebhook = (id: string) => authed<void>('DELETE', webhook(id));

/** A new secret, shown this once; the previous one keeps signing too for 24 hours. */
export const rotateWebhookSecret = (id: string) => authed<{ secret: string }>('POST', `${webhook(id)}/secret`);

/** A `webhook.test` event to this endpoint only (202): its delivery shows in the log. */
export const sendTestWebhook = (id: string) => authed<WebhookDelivery>('POST', `${webhook(id)}/test`);

/** Newest first. */
export const listWebhookDeliveries = (id: string, cursor: string | null, limit = 10) =>
  authed<Page<WebhookDelivery>>('GET', `${webhook(id)}/deliveries`, { query: { limit, cursor } });

export const retryWebhookDelivery = (id: string, deliveryId: string) =>
  authed<WebhookDelivery>('POST', `${webhook(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`);
