import type { WebhookEndpointRecord } from '../../ports.js';

/** A webhook endpoint as the admin routes show it (`GET /webhooks/{id}` …): never its secret. */
export interface WebhookEndpointResource {
  /** `whe_<ULID>`. */
  id: string;
  url: string;
  /** The event names it receives; null for every event. */
  events: string[] | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  /** When it was disabled (by an administrator, or because the receiver answered 410 Gone), or null. */
  disabledAt: string | null;
  /** `admin` or `gone`; null while enabled. */
  disabledReason: string | null;
}

/** `POST /webhooks`'s answer: the endpoint and, this once, its signing secret. */
export interface CreatedWebhookEndpoint extends WebhookEndpointResource {
  /** `whsec_…`: shown only here (and by a rotation); keep it to verify the signatures. */
  secret: string;
}

/** The message of every `not_found` about an endpoint, whether it never existed or is another group's. */
export const NO_SUCH_ENDPOINT = 'No such webhook endpoint.';

/**
 * Renders a stored endpoint as the public resource, leaving out the sealed secrets.
 *
 * @example
 * ```ts
 * toWebhookEndpointResource(record) // { id: 'whe_01J…', url, events: null, …, disabledAt: null }
 * ```
 */
export function toWebhookEndpointResource(endpoint: WebhookEndpointRecord): WebhookEndpointResource {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
    disabledReason: endpoint.disabledReason,
  };
}
