import type { AuthContext } from '../context.js';
import { toWebhookEndpointResource, type WebhookEndpointResource } from '../internal/webhooks/endpoint-resource.js';
import { groupOf } from '../lib/group-of.js';
import { assertPageLimit } from '../lib/page-cursor.js';
import type { Page } from '../ports.js';

/** What `auth.listWebhookEndpoints` takes. */
export interface ListWebhookEndpointsInput {
  /** The group whose endpoints are listed (default `default`): never another group's. */
  group?: string | undefined;
  /** Page size (default 20, the most a group can have). */
  limit?: number | undefined;
  /** A previous page's `nextCursor`. */
  cursor?: string | null | undefined;
}

/** The `listWebhookEndpoints` operation of `Auth`: the one place its documentation lives. */
export const listWebhookEndpointsOperation = {
  /**
   * The group's webhook endpoints, oldest first (`GET /webhooks`), without their secrets.
   *
   * @throws AuthError `validation_failed` (a malformed cursor, a `limit` that is not a positive integer)
   * @example
   * ```ts
   * const { data } = await auth.listWebhookEndpoints({ group: 'acme' })
   * data[0] // { id: 'whe_01J…', url: 'https://…', events: null, disabledAt: null, … }
   * ```
   */
  listWebhookEndpoints,
};

/** See {@link listWebhookEndpointsOperation}. */
export async function listWebhookEndpoints(
  ctx: AuthContext,
  input: ListWebhookEndpointsInput = {},
): Promise<Page<WebhookEndpointResource>> {
  const { limit = 20, cursor = null } = input;
  assertPageLimit(limit);
  const page = await ctx.storage.webhookEndpoints.list(groupOf(input), { limit, cursor });
  return { data: page.data.map(toWebhookEndpointResource), nextCursor: page.nextCursor };
}
