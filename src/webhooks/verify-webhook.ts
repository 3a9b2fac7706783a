import { constantTimeEqual } from '../core/lib/constant-time.js';
import { utf8 } from '../core/lib/encoding.js';
import { webhookSignature } from '../core/lib/webhook-signature.js';
import { WebhookVerificationError } from './errors.js';
import type { WebhookEvent } from './events.js';
import { parseWebhookEvent } from './parse-event.js';
import { headerValue, type WebhookRequestHeaders } from './request-headers.js';

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /**
   * How far `webhook-timestamp` may be from now, either way, in seconds (default 300, as the Standard
   * Webhooks libraries). Older requests are refused as replays.
   */
  toleranceSeconds?: number;
  /** The receiver's current time (default: the system clock); for tests. */
  now?: Date;
}

const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/**
 * Verifies a webhook latchkey sent (Standard Webhooks): the `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` headers are present, the timestamp is within `toleranceSeconds` of now, and one
 * of the header's `v1,` signatures is the HMAC of this exact body under `secret` (or under any of
 * `secrets`, for a receiver in the middle of a rotation), compared in constant time. Returns the event,
 * typed by its name.
 *
 * Pass the **raw** body, the bytes as received: `express.raw({ type: 'application/json' })`'s
 * `req.body` Buffer, Hono's `await c.req.text()`, Fastify's body read by a content-type parser with
 * `{ parseAs: 'buffer' }`.
 * A body parsed as JSON and serialised again is not the body that was signed.
 *
 * A request passes again if it is sent again within the tolerance (latchkey retries send the same
 * event with the same `webhook-id`): de-duplicate on `event.id`.
 *
 * @param secret The endpoint's `whsec_…` secret, or several (the new and the previous one) while
 *   rotating.
 * @param body The raw request body.
 * @param headers The request headers, names in any case.
 * @throws WebhookVerificationError `missing_headers`, `invalid_timestamp`, `timestamp_out_of_tolerance`,
 *   `invalid_signature`, `invalid_body`
 * @throws TypeError when no secret is given, a secret is not `whsec_` + base64, the body is not a
 *   string or bytes (an already-parsed object), or `toleranceSeconds` is negative
 * @example
 * ```ts
 * import express from 'express'
 * import { verifyWebhook, WebhookVerificationError } from 'latchkey/webhooks'
 *
 * app.post('/hooks/latchkey', express.raw({ type: 'application/json' }), (req, res) => {
 *   try {
 *     const event = verifyWebhook(process.env.LATCHKEY_WEBHOOK_SECRET!, req.body, req.headers)
 *     if (event.event === 'account.created') console.log('welcome', event.data.account.email.address)
 *     res.sendStatus(204)
 *   } catch (error) {
 *     if (error instanceof WebhookVerificationError) res.status(400).json({ error: error.code })
 *     else throw error
 *   }
 * })
 * ```
 */
export function verifyWebhook(
  secret: string | readonly string[],
  body: string | Uint8Array | ArrayBuffer,
  headers: WebhookRequestHeaders,
  options: VerifyWebhookOptions = {},
): WebhookEvent {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new TypeError('verifyWebhook needs at least one secret');
  const bytes = bodyBytes(body);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) throw new TypeError('verifyWebhook: `toleranceSeconds` must be a non-negative number');

  const id = headerValue(headers, 'webhook-id');
  const timestampHeader = headerValue(headers, 'webhook-timestamp');
  const signatureHeader = headerValue(headers, 'webhook-signature');
  if (id === null || timestampHeader === null || signatureHeader === null) {
    throw new WebhookVerificationError('missing_headers', 'A webhook-id, webhook-timestamp or webhook-signature header is missing.');
  }

  const timestamp = /^\d{1,15}$/.test(timestampHeader) ? Number(timestampHeader) : NaN;
  if (!Number.isSafeInteger(timestamp)) {
    throw new WebhookVerificationError('invalid_timestamp', 'The webhook-timestamp header is not whole Unix seconds.');
  }
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError('timestamp_out_of_tolerance', 'The webhook-timestamp is too far from the current time.');
  }

  const received = signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => utf8(entry.slice(3)));
  // Every expected signature is compared with every received one: no early exit on a match.
  let matched = false;
  for (const key of secrets) {
    const expected = utf8(webhookSignature(key, { id, timestamp, body: bytes }));
    for (const signature of received) matched = constantTimeEqual(expected, signature) || matched;
  }
  if (!matched) throw new WebhookVerificationError('invalid_signature', 'No webhook signature matches the body.');

  return parseWebhookEvent(bytes);
}

function bodyBytes(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === 'string') return utf8(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('verifyWebhook needs the raw body as a string or bytes, not a parsed object (use express.raw or c.req.text())');
}
