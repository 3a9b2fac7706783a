import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { type AdminActor, recordAdminAction } from '../internal/admin/audit.js';
import { requireGroup } from '../internal/groups/require-group.js';
import { createWebhookEndpointSchema, MAX_WEBHOOK_ENDPOINTS, parseEndpointFields } from '../internal/webhooks/endpoint-fields.js';
import { type CreatedWebhookEndpoint, toWebhookEndpointResource } from '../internal/webhooks/endpoint-resource.js';
import { groupOf } from '../lib/group-of.js';
import { newId } from '../lib/ids.js';
import { generateWebhookSecret } from '../lib/webhook-signature.js';
import type { WebhookEndpointRecord } from '../ports.js';

/** What `auth.createWebhookEndpoint` takes: the endpoint, and who subscribes it (for the audit log). */
export interface CreateWebhookEndpointInput extends AdminActor {
  /** The group whose events it receives (default `default`). */
  group?: string | undefined;
  /** Where the events are POSTed: http(s), checked by the `webhookSender` (no private addresses by default). */
  url: string;
  /** The event names it receives (`account.created` …); absent or null for every event. */
  events?: string[] | null | undefined;
  /** Up to 500 characters, for the administrators. */
  description?: string | null | undefined;
}

/** The `createWebhookEndpoint` operation of `Auth`: the one place its documentation lives. */
export const createWebhookEndpointOperation = {
  /**
   * Subscribes an HTTP endpoint to the group's events (`POST /webhooks`). Each event appended to the
   * outbox from then on gets a delivery to it, signed per Standard Webhooks with the secret returned
   * here, once: it is stored sealed and never shown again (`rotateWebhookSecret` makes a new one). The
   * URL must pass the `webhookSender`'s check (by default: http or https, https in production, no
   * loopback, private, link-local or metadata address unless `webhooks.allow` lists it). A group has at
   * most 20 endpoints; one more is a `conflict` (checked atomically with the insert, so concurrent
   * creations never pass the limit). Recorded in the audit log (`webhook.create`).
   *
   * @throws AuthError `validation_failed` (a URL refused, with the reason on `url`; an unknown event
   * name; a description over 500 characters), `conflict` (the group already has 20 endpoints),
   * `not_found` (unknown group)
   * @example
   * ```ts
   * const { id, secret } = await auth.createWebhookEndpoint({
   *   group: 'acme',
   *   url: 'https://hooks.acme.example/latchkey',
   *   events: ['account.created', 'account.locked'],
   * })
   * // keep `secret` (whsec_…) in the receiver's configuration: it is not shown again
   * ```
   */
  createWebhookEndpoint,
};

/** See {@link createWebhookEndpointOperation}. */
export async function createWebhookEndpoint(ctx: AuthContext, input: CreateWebhookEndpointInput): Promise<CreatedWebhookEndpoint> {
  const group = groupOf(input);
  const fields = parseEndpointFields(ctx, createWebhookEndpointSchema, {
    url: input.url,
    ...(input.events === undefined ? {} : { events: input.events }),
    ...(input.description === undefined ? {} : { description: input.description }),
  });
  await requireGroup(ctx, group);
  const now = ctx.clock.now();
  const secret = generateWebhookSecret();
  const endpoint: WebhookEndpointRecord = {
    id: newId('whe', now),
    group,
    url: fields.url,
    events: fields.events ?? null,
    description: fields.description ?? null,
    secretSealed: await ctx.accountSecrets.seal(secret),
    previousSecretSealed: null,
    previousSecretExpiresAt: null,
    createdAt: now,
    updatedAt: now,
    disabledAt: null,
    disabledReason: null,
  };
  await ctx.storage.webhookEndpoints.create(endpoint, { limit: MAX_WEBHOOK_ENDPOINTS });
  ctx.logger.info('webhook endpoint created', { group, endpointId: endpoint.id, actorId: input.actorId ?? null });
  await recordAdminAction(ctx, {
    group,
    actor: input,
    action: 'webhook.create',
    target: { type: 'webhook', id: endpoint.id },
    details: { events: endpoint.events ?? ['*'] },
  });
  return { ...toWebhookEndpointResource(endpoint), secret };
}
