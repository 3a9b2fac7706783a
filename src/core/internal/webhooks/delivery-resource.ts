import type { WebhookDeliveryRecord, WebhookDeliveryStatus } from '../../ports.js';

/** One delivery of an event to an endpoint, as `GET /webhooks/{id}/deliveries` lists it. */
export interface WebhookDeliveryResource {
  /** `whd_<ULID>`. */
  id: string;
  /** The event delivered: the `webhook-id` header. */
  eventId: string;
  /** Its name (`account.created`, or `webhook.test`). */
  event: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastAttemptAt: string | null;
  /** When it is tried next; null once delivered or failed. */
  nextAttemptAt: string | null;
  /** The receiver's last status code; null when no answer came (or no attempt yet). */
  lastResponseStatus: number | null;
  /** Why the last attempt failed; null when it succeeded or none was made. */
  lastError: string | null;
}

/** The message of every `not_found` about a delivery. */
export const NO_SUCH_DELIVERY = 'No such webhook delivery.';

/** Renders a stored delivery as the public resource. */
export function toWebhookDeliveryResource(delivery: WebhookDeliveryRecord): WebhookDeliveryResource {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastResponseStatus: delivery.lastResponseStatus,
    lastError: delivery.lastError,
  };
}
