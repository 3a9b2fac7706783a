import { z } from 'zod';
import type { AuthContext } from '../../context.js';
import { AuthError, type ErrorDetail } from '../../errors.js';
import { EVENT_NAMES, isEventName } from '../../events/event-names.js';
import type { AdminActor } from '../admin/audit.js';
import { webhookSenderOf } from './sender-of.js';

/** Most endpoints a group may have: each event is sent to each, so the fan-out stays bounded. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

/** Every per-endpoint admin operation takes the endpoint, and who acts (for the audit log). */
export interface WebhookEndpointInput extends AdminActor {
  /** The group administered (default `default`): an endpoint of any other group is `not_found`. */
  group?: string | undefined;
  /** `whe_…`. */
  endpointId: string;
}

const url = z.string().trim().min(1).max(2048);
const events = z
  .array(z.string().max(100).refine(isEventName, 'is not an event latchkey emits'))
  .min(1, 'must name at least one event (null for every event)')
  .max(EVENT_NAMES.length * 2)
  .nullable()
  .transform((names) => (names === null ? null : [...new Set(names)]));
const description = z
  .string()
  .trim()
  .max(500)
  .nullable()
  .transform((text) => (text ? text : null));

/** `POST /webhooks`: the URL, the events (absent or null: all), a description. Unknown fields are refused. */
export const createWebhookEndpointSchema = z.strictObject({
  url,
  events: events.optional(),
  description: description.optional(),
});

/** `PATCH /webhooks/{id}` (JSON merge): any of the fields, and `disabled` to turn it off or on. */
export const updateWebhookEndpointSchema = z.strictObject({
  url: url.optional(),
  events: events.optional(),
  description: description.optional(),
  disabled: z.boolean().optional(),
});

/**
 * Validates an endpoint's fields with `schema`, then asks the sender whether the URL may be subscribed.
 *
 * @throws AuthError `validation_failed` with a detail per bad field (the URL's says why it is refused)
 */
export function parseEndpointFields<S extends z.ZodType>(ctx: AuthContext, schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input, { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.map((issue) => ({
        path: [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.'),
        message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message,
      })),
    );
  }
  const value = parsed.data as { url?: string };
  if (value.url !== undefined) {
    const check = webhookSenderOf(ctx).check(value.url);
    if (!check.ok) throw invalid([{ path: 'url', message: `is refused: ${check.reason}` }]);
  }
  return parsed.data;
}

function invalid(details: ErrorDetail[]): AuthError {
  return new AuthError('validation_failed', 'The request body is not valid.', { details });
}
