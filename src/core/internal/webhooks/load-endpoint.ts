import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import type { WebhookEndpointRecord } from '../../ports.js';
import { NO_SUCH_ENDPOINT } from './endpoint-resource.js';

/**
 * The endpoint an admin operation acts on, in that group only.
 *
 * @throws AuthError `not_found` (no such endpoint in this group)
 */
export async function loadEndpoint(ctx: AuthContext, group: string, endpointId: string): Promise<WebhookEndpointRecord> {
  const endpoint = await ctx.storage.webhookEndpoints.find(group, endpointId);
  if (!endpoint) throw new AuthError('not_found', NO_SUCH_ENDPOINT);
  return endpoint;
}
