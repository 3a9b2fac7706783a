import { WebhookVerificationError } from './errors.js';
import type { WebhookEvent } from './events.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The event a verified body holds, checked to have the shape latchkey sends (`id`, `event`, `group`,
 * `occurredAt`, `sequence`, `data`); `data` itself is trusted as signed.
 *
 * @throws WebhookVerificationError `invalid_body` when the body is not UTF-8 JSON of that shape
 */
export function parseWebhookEvent(body: Uint8Array): WebhookEvent {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(body));
  } catch {
    throw invalid();
  }
  if (!isRecord(value)) throw invalid();
  const { id, event, group, occurredAt, sequence, data } = value;
  const strings = [id, event, group, occurredAt].every((field) => typeof field === 'string');
  if (!strings || !Number.isSafeInteger(sequence) || !isRecord(data)) throw invalid();
  return value as unknown as WebhookEvent;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(): WebhookVerificationError {
  return new WebhookVerificationError('invalid_body', 'The webhook body is not a latchkey event.');
}
