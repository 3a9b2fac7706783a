import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { recordAdminAction } from '../internal/admin/audit.js';
import { NO_SUCH_DELIVERY, toWebhookDeliveryResource, type WebhookDeliveryResource } from '../internal/webhooks/delivery-resource.js';
import type { WebhookEndpointInput } from '../internal/webhooks/endpoint-fields.js';
import { loadEndpoint } from '../internal/webhooks/load-endpoint.js';
import { groupOf } from '../lib/group-of.js';

/** What `auth.retryWebhookDelivery` takes: one delivery of one endpoint. */
export interface RetryWebhookDeliveryInput extends WebhookEndpointInput {
  /** `whd_…`. */
  deliveryId: string;
}

/** The `retryWebhookDelivery` operation of `Auth`: the one place its documentation lives. */
export const retryWebhookDeliveryOperation = {
  /**
   * Delivers an event to an endpoint again, now (`POST /webhooks/{id}/deliveries/{deliveryId}/retry`,
   * 202): the delivery becomes `pending`, due at once, keeping its attempts so far, and a started
   * dispatcher is woken. A failed delivery gets one more attempt (and the retry schedule again if it
   * fails); a delivered one is sent again, with the same `webhook-id`. Nothing is sent while no
   * dispatcher runs or while the endpoint is disabled. Recorded in the audit log (`webhook.retry`).
   *
   * @throws AuthError `not_found` (no such endpoint in this group, or no such delivery of it)
   * @example
   * ```ts
   * await auth.retryWebhookDelivery({ group, endpointId: 'whe_01J…', deliveryId: 'whd_01J…' })
   * ```
   */
  retryWebhookDelivery,
};

/** See {@link retryWebhookDeliveryOperation}. */
export async function retryWebhookDelivery(ctx: AuthContext, input: RetryWebhookDeliveryInput): Promise<WebhookDeliveryResource> {
  const group = groupOf(input);
  await loadEndpoint(ctx, group, input.endpointId);
  const delivery = await ctx.storage.webhookDeliveries.retry(group, input.endpointId, input.deliveryId, ctx.clock.now());
  if (!delivery) throw new AuthError('not_found', NO_SUCH_DELIVERY);
  ctx.webhooks.wake();
  await recordAdminAction(ctx, {
    group,
    actor: input,
    action: 'webhook.retry',
    target: { type: 'webhook', id: input.endpointId },
    details: { deliveryId: delivery.id },
  });
  return toWebhookDeliveryResource(delivery);
}
