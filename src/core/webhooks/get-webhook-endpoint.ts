import type { AuthContext } from '../context.js';
import type { WebhookEndpointInput } from '../internal/webhooks/endpoint-fields.js';
import { toWebhookEndpointResource, type WebhookEndpointResource } from '../internal/webhooks/endpoint-resource.js';
import { loadEndpoint } from '../internal/webhooks/load-endpoint.js';
import { groupOf } from '../lib/group-of.js';

export type { WebhookEndpointInput };

/** The `getWebhookEndpoint` operation of `Auth`: the one place its documentation lives. */
export const getWebhookEndpointOperation = {
  /**
   * One webhook endpoint of the group (`GET /webhooks/{id}`), never with its secret.
   *
   * @throws AuthError `not_found` (no such endpoint in this group)
   * @example
   * ```ts
   * const endpoint = await auth.getWebhookEndpoint({ group: 'acme', endpointId: 'whe_01J…' })
   * endpoint.disabledReason // null, 'admin' or 'gone'
   * ```
   */
  getWebhookEndpoint,
};

/** See {@link getWebhookEndpointOperation}. */
export async function getWebhookEndpoint(ctx: AuthContext, input: WebhookEndpointInput): Promise<WebhookEndpointResource> {
  return toWebhookEndpointResource(await loadEndpoint(ctx, groupOf(input), input.endpointId));
}
