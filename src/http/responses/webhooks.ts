import { z } from 'zod';
import type { AuthEvent } from '../../core/events/event-bus.js';
import { EVENT_NAMES } from '../../core/events/event-names.js';
import type { WebhookDeliveryResource } from '../../core/internal/webhooks/delivery-resource.js';
import type { CreatedWebhookEndpoint, WebhookEndpointResource } from '../../core/internal/webhooks/endpoint-resource.js';
import type { OperationResult } from '../../core/auth.js';
import { component, page } from '../openapi/components.js';
import { time } from './account.js';
import type { Assignable, Same } from './same.js';

const endpointFields = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()).nullable(),
  description: z.string().nullable(),
  createdAt: time,
  updatedAt: time,
  disabledAt: time.nullable(),
  disabledReason: z.string().nullable(),
});

/** A webhook endpoint, never with its secret. */
export const endpoint = component(
  'WebhookEndpoint',
  endpointFields,
  'A webhook endpoint; `events` null means every event. Its secret is never shown again after creation.',
);

/** `POST /webhooks`: the endpoint and, this once, its secret. */
export const createdEndpoint = component(
  'CreatedWebhookEndpoint',
  endpointFields.extend({ secret: z.string() }),
  'The new endpoint with its signing secret (`whsec_…`), shown only here.',
);

/** `GET /webhooks`. */
export const endpointPage = page('WebhookEndpointPage', endpoint, 'A page of the group’s webhook endpoints.');

/** `POST /webhooks/{id}/secret`. */
export const webhookSecret = component(
  'WebhookSecret',
  z.object({ secret: z.string() }),
  'The endpoint’s new signing secret; the old one keeps signing too for 24 hours.',
);

/** One delivery of an event to an endpoint. */
export const delivery = component(
  'WebhookDelivery',
  z.object({
    id: z.string(),
    eventId: z.string(),
    event: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastAttemptAt: time.nullable(),
    nextAttemptAt: time.nullable(),
    lastResponseStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
  }),
  'A delivery of one event to one endpoint, with its attempts so far.',
);

/** `GET /webhooks/{id}/deliveries`. */
export const deliveryPage = page('WebhookDeliveryPage', delivery, 'A page of an endpoint’s deliveries, newest first.');

/** An event of the feed: the payload webhooks deliver. */
export const event = component(
  'Event',
  z.object({
    id: z.string(),
    event: z.enum(EVENT_NAMES),
    group: z.string(),
    occurredAt: time,
    sequence: z.number().int().optional(),
    data: z.record(z.string(), z.unknown()),
  }),
  'An event, as webhooks deliver it: `sequence` orders the group’s events (gaps allowed); `data` depends on `event`.',
);

/** `GET /events`. */
export const eventPage = page(
  'EventPage',
  event,
  'Events in order; `nextCursor` is the position after the last one (null when nothing came after `after`).',
);

true satisfies Same<z.output<typeof endpoint>, WebhookEndpointResource>;
true satisfies Same<z.output<typeof createdEndpoint>, CreatedWebhookEndpoint>;
true satisfies Same<z.output<typeof webhookSecret>, OperationResult<'rotateWebhookSecret'>>;
true satisfies Same<z.output<typeof delivery>, WebhookDeliveryResource>;
// `data` differs by event; the schema promises an object, which every event's data is.
true satisfies Assignable<AuthEvent, z.output<typeof event>>;
