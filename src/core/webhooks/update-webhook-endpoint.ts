import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { recordAdminAction } from '../internal/admin/audit.js';
import { parseEndpointFields, updateWebhookEndpointSchema, type WebhookEndpointInput } from '../internal/webhooks/endpoint-fields.js';
import { NO_SUCH_ENDPOINT, toWebhookEndpointResource, type WebhookEndpointResource } from '../internal/webhooks/endpoint-resource.js';
import { loadEndpoint } from '../internal/webhooks/load-endpoint.js';
import { groupOf } from '../lib/group-of.js';
import type { WebhookEndpointRecord } from '../ports.js';

/** A change to an endpoint (`PATCH /webhooks/{id}`, JSON merge): absent fields stay as they are. */
export interface WebhookEndpointPatch {
  url?: string | undefined;
  /** null: every event. */
  events?: string[] | null | undefined;
  description?: string | null | undefined;
  /** true disables it (reason `admin`); false enables it again, whatever disabled it. */
  disabled?: boolean | undefined;
}

/** What `auth.updateWebhookEndpoint` takes. */
export interface UpdateWebhookEndpointInput extends WebhookEndpointInput, WebhookEndpointPatch {}

/** The `updateWebhookEndpoint` operation of `Auth`: the one place its documentation lives. */
export const updateWebhookEndpointOperation = {
  /**
   * Changes a webhook endpoint (`PATCH /webhooks/{id}`): its URL (checked as at creation), its events,
   * its description, and `disabled`. A disabled endpoint gets no new deliveries and its pending ones
   * wait; `disabled: false` enables it again, also after a receiver's 410 Gone disabled it, and the
   * deliveries still pending resume. Recorded in the audit log (`webhook.update`, with the changed fields).
   *
   * @throws AuthError `not_found` (no such endpoint in this group), `validation_failed` (as
   * `createWebhookEndpoint`, or an unknown field)
   * @example
   * ```ts
   * await auth.updateWebhookEndpoint({ group, endpointId, events: ['account.locked'] })
   * await auth.updateWebhookEndpoint({ group, endpointId, disabled: true }) // disabledReason: 'admin'
   * ```
   */
  updateWebhookEndpoint,
};

/** See {@link updateWebhookEndpointOperation}. */
export async function updateWebhookEndpoint(ctx: AuthContext, input: UpdateWebhookEndpointInput): Promise<WebhookEndpointResource> {
  const group = groupOf(input);
  const { group: _group, endpointId, actorId: _actorId, ip: _ip, ...patch } = input;
  const fields = parseEndpointFields(ctx, updateWebhookEndpointSchema, withoutUndefined(patch));
  const endpoint = await loadEndpoint(ctx, group, endpointId);
  const now = ctx.clock.now();
  const changes: Partial<Omit<WebhookEndpointRecord, 'id' | 'group' | 'createdAt'>> = {};
  if (fields.url !== undefined) changes.url = fields.url;
  if (fields.events !== undefined) changes.events = fields.events;
  if (fields.description !== undefined) changes.description = fields.description;
  if (fields.disabled === true && endpoint.disabledAt === null) Object.assign(changes, { disabledAt: now, disabledReason: 'admin' });
  if (fields.disabled === false && endpoint.disabledAt !== null) Object.assign(changes, { disabledAt: null, disabledReason: null });
  const changed = Object.keys(changes);
  if (changed.length === 0) return toWebhookEndpointResource(endpoint);
  const updated = await ctx.storage.webhookEndpoints.update(group, endpointId, { ...changes, updatedAt: now });
  if (!updated) throw new AuthError('not_found', NO_SUCH_ENDPOINT); // deleted meanwhile
  // Enabled again: its waiting deliveries are due.
  if (changes.disabledAt === null) ctx.webhooks.wake();
  await recordAdminAction(ctx, {
    group,
    actor: input,
    action: 'webhook.update',
    target: { type: 'webhook', id: endpointId },
    details: { changed },
  });
  return toWebhookEndpointResource(updated);
}

function withoutUndefined(patch: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}
