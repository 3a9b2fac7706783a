// The shapes of latchkey's HTTP API that the demo reads, by the names the pages use: all of them are the
// types generated from the server's OpenAPI document (src/client/schema.ts, `npm run generate:client`),
// so a change to the API shows here as a type error, not as a page that reads a field no longer sent.

import type { components } from '../../../src/client/schema.js';

type Schemas = components['schemas'];

export type { Account, TokenResponse } from '../../../src/client/index.js';
export type SessionInfo = Schemas['Session'];
export type LoginInfo = Schemas['Login'];
export type Passkey = Schemas['Passkey'];
export type TotpEnrolment = Schemas['TotpEnrolment'];
export type RecoveryCodes = Schemas['RecoveryCodes'];
/**
 * `POST /auth/accounts/{id}/support-session`: an access token for the account, and no refresh token
 * (its `refreshToken` is always null, and openapi-fetch's answer types leave a null-only field out).
 */
export type SupportSession = Omit<Schemas['SupportSession'], 'refreshToken'>;
export type ImportResult = Schemas['ImportResult'];
export type AuditEntry = Schemas['AuditEntry'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type CreatedWebhookEndpoint = Schemas['CreatedWebhookEndpoint'];
export type WebhookDelivery = Schemas['WebhookDelivery'];

/** What `GET /api/me`, the demo app's own protected route, answers. */
export interface Me {
  message: string;
  accountId: string;
  email: string;
}

/**
 * One row of `POST /auth/accounts/import`, as the page reads it from CSV or JSON. The API takes any
 * array and judges each row on its own (its answer's `failed` says why a row was refused), so this is
 * the page's shape, not one of the schema's.
 */
export interface ImportRow {
  email: string;
  name?: { first: string | null; last: string | null };
  roles?: string[];
}
