import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { recordAdminAction } from '../internal/admin/audit.js';
import type { WebhookEndpointInput } from '../internal/webhooks/endpoint-fields.js';
import { NO_SUCH_ENDPOINT } from '../internal/webhooks/endpoint-resource.js';
import { groupOf } from '../lib/group-of.js';

/** The `deleteWebhookEndpoint` operation of `Auth`: the one place its documentation lives. */
export const deleteWebhookEndpointOperation = {
  /**
   * Removes a webhook endpoint with its deliveries and their attempts (`DELETE /webhooks/{id}`): nothing
   * more is sent to it, not even the deliveries still pending. The events stay in the feed
   * (`GET /events`). Recorded in the audit log (`webhook.delete`).
   *
   * @throws AuthError `not_found` (no such endpoint in this group)
   * @example
   * ```ts
   * await auth.deleteWebhookEndpoint({ group: 'acme', endpointId: 'whe_01J…' })
   * ```
   */
  deleteWebhookEndpoint,
};

/** See {@link deleteWebhookEndpointOperation}. */
export async function deleteWebhookEndpoint(ctx: AuthContext, input: WebhookEndpointInput): Promise<void> {
  const group = groupOf(input);
  if (!(await ctx.storage.webhookEndpoints.delete(group, input.endpointId))) throw new AuthError('not_found', NO_SUCH_ENDPOINT);
  ctx.logger.info('webhook endpoint deleted', { group, endpointId: input.endpointId, actorId: input.actorId ?? null });
  await recordAdminAction(ctx, { group, actor: input, action: 'webhook.delete', target: { type: 'webhook', id: input.endpointId } });
}
