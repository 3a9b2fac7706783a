import type { AuthContext } from '../context.js';
import { recordAdminAction } from '../internal/admin/audit.js';
import { toWebhookDeliveryResource, type WebhookDeliveryResource } from '../internal/webhooks/delivery-resource.js';
import type { WebhookEndpointInput } from '../internal/webhooks/endpoint-fields.js';
import { loadEndpoint } from '../internal/webhooks/load-endpoint.js';
import { groupOf } from '../lib/group-of.js';
import { newId } from '../lib/ids.js';
import { WEBHOOK_TEST_EVENT } from '../lib/webhook-subscription.js';
import type { WebhookDeliveryRecord } from '../ports.js';

/** The `sendTestWebhook` operation of `Auth`: the one place its documentation lives. */
export const sendTestWebhookOperation = {
  /**
   * Sends a `webhook.test` event to one endpoint (`POST /webhooks/{id}/test`, 202), whatever events it
   * subscribed to, to check the receiver and its secret. The event goes through the outbox like any
   * other (it takes the group's next `sequence`, and is delivered, retried and logged the same way,
   * by a started dispatcher), but only this endpoint gets a delivery of it, and the event feed
   * (`GET /events`) leaves it out. Its `data` is `{ endpointId }`. A disabled endpoint's test waits until
   * it is enabled again. Recorded in the audit log (`webhook.test`).
   *
   * @throws AuthError `not_found` (no such endpoint in this group)
   * @example
   * ```ts
   * const delivery = await auth.sendTestWebhook({ group, endpointId: 'whe_01J…' })
   * delivery.status // 'pending': see listWebhookDeliveries for how it went
   * ```
   */
  sendTestWebhook,
};

/** See {@link sendTestWebhookOperation}. */
export async function sendTestWebhook(ctx: AuthContext, input: WebhookEndpointInput): Promise<WebhookDeliveryResource> {
  const group = groupOf(input);
  const endpoint = await loadEndpoint(ctx, group, input.endpointId);
  const now = ctx.clock.now();
  const id = newId('evt', now);
  const payload = JSON.stringify({ id, event: WEBHOOK_TEST_EVENT, group, occurredAt: now.toISOString(), data: { endpointId: endpoint.id } });
  const delivery: WebhookDeliveryRecord = {
    id: newId('whd', now),
    group,
    endpointId: endpoint.id,
    eventId: id,
    event: WEBHOOK_TEST_EVENT,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastAttemptAt: null,
    lastResponseStatus: null,
    lastError: null,
    createdAt: now,
  };
  // `append` fans no delivery out for the test event (see `endpointReceives`): this one is the only one.
  await ctx.storage.transaction(async (tx) => {
    await tx.outbox.append({ id, group, event: WEBHOOK_TEST_EVENT, occurredAt: now, payload });
    await tx.webhookDeliveries.create(delivery);
  });
  ctx.webhooks.wake();
  await recordAdminAction(ctx, {
    group,
    actor: input,
    action: 'webhook.test',
    target: { type: 'webhook', id: endpoint.id },
    details: { deliveryId: delivery.id },
  });
  return toWebhookDeliveryResource(delivery);
}
