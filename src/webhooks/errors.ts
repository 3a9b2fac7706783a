/**
 * Why {@link verifyWebhook} refused a request:
 * - `missing_headers`: `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent or empty;
 * - `invalid_timestamp`: `webhook-timestamp` is not whole Unix seconds;
 * - `timestamp_out_of_tolerance`: it is further from now than the tolerance (a replay, or a clock off);
 * - `invalid_signature`: no `v1,` signature in `webhook-signature` matches the body under any secret;
 * - `invalid_body`: the signature matched, but the body is not a latchkey event (JSON with `id`,
 *   `event`, `group`, `occurredAt`, `sequence` and `data`).
 *
 * @example
 * ```ts
 * const status: Record<WebhookVerificationErrorCode, number> = {
 *   missing_headers: 400, invalid_timestamp: 400, timestamp_out_of_tolerance: 401, invalid_signature: 401, invalid_body: 400,
 * }
 * ```
 */
export type WebhookVerificationErrorCode =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'timestamp_out_of_tolerance'
  | 'invalid_signature'
  | 'invalid_body';

/**
 * What {@link verifyWebhook} throws when a request is not a genuine, fresh latchkey webhook. Switch on
 * `code`, never on `message`; messages never contain a secret or a signature.
 *
 * @example
 * ```ts
 * try {
 *   event = verifyWebhook(secret, rawBody, headers)
 * } catch (error) {
 *   if (error instanceof WebhookVerificationError) return reply(400, error.code)
 *   throw error
 * }
 * ```
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  /** The stable reason (see {@link WebhookVerificationErrorCode}). */
  readonly code: WebhookVerificationErrorCode;

  /**
   * Makes an error of one code; {@link verifyWebhook} is the one that throws them.
   *
   * @param message For people and logs: never a secret or a signature.
   */
  constructor(code: WebhookVerificationErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
