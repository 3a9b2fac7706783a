import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from './encoding.js';
import { randomBytes } from './random.js';

/**
 * Signing of outgoing webhooks per the Standard Webhooks spec (https://www.standardwebhooks.com/):
 * `v1,` + base64 HMAC-SHA-256 over `${id}.${timestamp}.${body}`, keyed with the bytes of a `whsec_`
 * secret. Any Standard Webhooks or Svix verifier accepts what this produces.
 */

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** What a webhook signature covers, and the endpoint's secrets that sign it. */
export interface WebhookSignInput {
  /** The `webhook-id`: the event id, the same on every retry so receivers can de-duplicate. */
  id: string;
  /** The `webhook-timestamp`: when this attempt is sent, in whole Unix seconds. */
  timestamp: number;
  /** The exact request body (JSON text); receivers verify these bytes, so send exactly this string. */
  body: string;
  /**
   * The endpoint's `whsec_…` secrets, newest first: one, or two while a rotation's previous secret
   * still signs. Each yields one signature.
   */
  secrets: readonly string[];
}

/** The headers of a signed webhook request, lower-case as the spec writes them. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'content-type': 'application/json';
  'user-agent': string;
}

/** The `user-agent` of webhook requests unless {@link webhookHeaders} is given another. */
export const WEBHOOK_USER_AGENT = 'latchkey-webhooks/1';

/**
 * A new endpoint secret in the Standard Webhooks format: `whsec_` + base64 of 32 random bytes.
 * Show it to the admin once; store it sealed, since it is needed in clear to sign.
 *
 * @example
 * ```ts
 * const secret = generateWebhookSecret() // 'whsec_3q2+7w…=' (50 characters)
 * ```
 */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(randomBytes(32));
}

/**
 * The `webhook-signature` header value: `v1,<signature>` per secret, space-separated, in the order of
 * `secrets` (newest first). During a rotation both signatures are sent, so a receiver holding either
 * secret verifies the request.
 *
 * @throws TypeError when `secrets` is empty, a secret is not `whsec_` + base64 (the prefix may be
 * omitted), or `timestamp` is not a non-negative whole number of seconds
 * @example
 * ```ts
 * signWebhook({
 *   id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
 *   timestamp: 1614265330,
 *   body: '{"test": 2432232314}',
 *   secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
 * }) // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' (the spec's own test vector)
 * ```
 */
export function signWebhook(input: WebhookSignInput): string {
  const { id, timestamp, body, secrets } = input;
  if (secrets.length === 0) throw new TypeError('signWebhook needs at least one secret');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError('signWebhook: `timestamp` must be whole Unix seconds');
  }
  return secrets.map((secret) => `v1,${webhookSignature(secret, { id, timestamp, body })}`).join(' ');
}

/**
 * The signing rule itself, for one secret: base64 of HMAC-SHA-256 over `${id}.${timestamp}.` followed
 * by the body's bytes, keyed with the bytes of the `whsec_` secret. {@link signWebhook} prefixes it with
 * `v1,`; `verifyWebhook` (`latchkey/webhooks`) compares received signatures with it, so signing and
 * verifying cannot drift apart. A body given as bytes is signed as those bytes, never re-encoded.
 *
 * @throws TypeError when `secret` is not `whsec_` + base64 (the prefix may be omitted)
 * @example
 * ```ts
 * webhookSignature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', {
 *   id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
 *   timestamp: 1614265330,
 *   body: '{"test": 2432232314}',
 * }) // 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 * ```
 */
export function webhookSignature(secret: string, message: { id: string; timestamp: number; body: string | Uint8Array }): string {
  const { id, timestamp, body } = message;
  const mac = hmac.create(sha256, secretKey(secret)).update(utf8(`${id}.${timestamp}.`));
  return toBase64(mac.update(typeof body === 'string' ? utf8(body) : body).digest());
}

/**
 * Every header of a signed webhook request: the three Standard Webhooks headers, `content-type` and a
 * `user-agent` (default {@link WEBHOOK_USER_AGENT}). Send `input.body` unchanged as the request body.
 *
 * @throws TypeError as {@link signWebhook}
 * @example
 * ```ts
 * const body = JSON.stringify(event)
 * const headers = webhookHeaders({ id: event.id, timestamp: Math.floor(Date.now() / 1000), body, secrets })
 * await sender.send({ url: endpoint.url, headers: { ...headers }, body })
 * ```
 */
export function webhookHeaders(input: WebhookSignInput & { userAgent?: string }): WebhookHeaders {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signWebhook(input),
    'content-type': 'application/json',
    'user-agent': input.userAgent ?? WEBHOOK_USER_AGENT,
  };
}

/** The HMAC key of a secret: the base64-decoded part after `whsec_`, as Standard Webhooks verifiers read it. */
function secretKey(secret: string): Uint8Array {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  // A lenient decoder skips what it cannot read; a typo must not quietly sign with another key.
  if (encoded.length === 0 || !BASE64.test(encoded)) {
    throw new TypeError('a webhook secret is not `whsec_` followed by base64');
  }
  return Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
}

/** Standard base64 with btoa rather than Buffer, so that `latchkey/webhooks` also runs outside Node (Workers, Deno, browsers). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
