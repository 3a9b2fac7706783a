/**
 * `latchkey/webhooks`: for the apps that receive latchkey's signed webhooks. {@link verifyWebhook}
 * checks a request's Standard Webhooks headers and signature against the endpoint's `whsec_…` secret
 * and returns the event, typed by its name ({@link WebhookEvent}); {@link WebhookVerificationError}
 * says why it refused one. It loads no storage, framework or Node-only module, so it also runs on
 * Workers, Deno and Bun.
 *
 * @module latchkey/webhooks
 */
export { verifyWebhook, type VerifyWebhookOptions } from './webhooks/verify-webhook.js';
export { WebhookVerificationError, type WebhookVerificationErrorCode } from './webhooks/errors.js';
export type { WebhookRequestHeaders } from './webhooks/request-headers.js';
export type { WebhookDataMap, WebhookEvent, WebhookEventName, WebhookEventOf, WebhookTestData } from './webhooks/events.js';
