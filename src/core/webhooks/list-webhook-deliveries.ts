import type { AuthContext } from '../context.js';
import { toWebhookDeliveryResource, type WebhookDeliveryResource } from '../internal/webhooks/delivery-resource.js';
import { loadEndpoint } from '../internal/webhooks/load-endpoint.js';
import { groupOf } from '../lib/group-of.js';
import { assertPageLimit } from '../lib/page-cursor.js';
import type { Page, WebhookDeliveryStatus } from '../ports.js';

/** What `auth.listWebhookDeliveries` takes. */
export interface ListWebhookDeliveriesInput {
  /** The group administered (default `default`). */
  group?: string | undefined;
  /** The endpoint whose deliveries are listed. */
  endpointId: string;
  /** Only deliveries in this state. */
  status?: WebhookDeliveryStatus | undefined;
  /** Page size (default 20). */
  limit?: number | undefined;
  /** A previous page's `nextCursor`. */
  cursor?: string | null | undefined;
}

/** The `listWebhookDeliveries` operation of `Auth`: the one place its documentation lives. */
export const listWebhookDeliveriesOperation = {
  /**
   * An endpoint's delivery log, newest first (`GET /webhooks/{id}/deliveries`): each event sent or to
   * be sent to it, with its state (`pending`, `delivered`, `failed`), the number of attempts, when the
   * last one was made and the next is due, and the receiver's last status code or why it failed.
   *
   * @throws AuthError `not_found` (no such endpoint in this group), `validation_failed` (a malformed
   * cursor, a `limit` that is not a positive integer)
   * @example
   * ```ts
   * const { data } = await auth.listWebhookDeliveries({ group, endpointId, status: 'failed' })
   * data[0] // { id: 'whd_…', event: 'account.created', status: 'failed', attempts: 8, lastResponseStatus: 500, … }
   * ```
   */
  listWebhookDeliveries,
};

/** See {@link listWebhookDeliveriesOperation}. */
export async function listWebhookDeliveries(ctx: AuthContext, input: ListWebhookDeliveriesInput): Promise<Page<WebhookDeliveryResource>> {
  const group = groupOf(input);
  const { limit = 20, cursor = null, status } = input;
  assertPageLimit(limit);
  await loadEndpoint(ctx, group, input.endpointId);
  const page = await ctx.storage.webhookDeliveries.list(group, input.endpointId, { limit, cursor, status });
  return { data: page.data.map(toWebhookDeliveryResource), nextCursor: page.nextCursor };
}
