import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { recordAdminAction } from '../internal/admin/audit.js';
import type { WebhookEndpointInput } from '../internal/webhooks/endpoint-fields.js';
import { NO_SUCH_ENDPOINT } from '../internal/webhooks/endpoint-resource.js';
import { loadEndpoint } from '../internal/webhooks/load-endpoint.js';
import { groupOf } from '../lib/group-of.js';
import { generateWebhookSecret } from '../lib/webhook-signature.js';

/** How long the previous secret keeps signing after a rotation: 24 hours, in milliseconds. */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** The `rotateWebhookSecret` operation of `Auth`: the one place its documentation lives. */
export const rotateWebhookSecretOperation = {
  /**
   * Gives an endpoint a new signing secret (`POST /webhooks/{id}/secret`), returned once. For 24 hours
   * the previous secret signs too (`webhook-signature` carries both signatures), so the receiver can
   * switch without losing a delivery; after that only the new one does. A secret rotated twice within
   * the overlap drops the oldest at once: only the current and the one before it ever sign. Recorded in
   * the audit log (`webhook.rotate-secret`).
   *
   * @throws AuthError `not_found` (no such endpoint in this group)
   * @example
   * ```ts
   * const { secret } = await auth.rotateWebhookSecret({ group: 'acme', endpointId: 'whe_01J…' })
   * ```
   */
  rotateWebhookSecret,
};

/** See {@link rotateWebhookSecretOperation}. */
export async function rotateWebhookSecret(ctx: AuthContext, input: WebhookEndpointInput): Promise<{ secret: string }> {
  const group = groupOf(input);
  const endpoint = await loadEndpoint(ctx, group, input.endpointId);
  const now = ctx.clock.now();
  const secret = generateWebhookSecret();
  const updated = await ctx.storage.webhookEndpoints.rotateSecret(group, endpoint.id, {
    secretSealed: await ctx.accountSecrets.seal(secret),
    previousSecretExpiresAt: new Date(now.getTime() + WEBHOOK_SECRET_OVERLAP_MS),
    updatedAt: now,
  });
  if (!updated) throw new AuthError('not_found', NO_SUCH_ENDPOINT);
  await recordAdminAction(ctx, { group, actor: input, action: 'webhook.rotate-secret', target: { type: 'webhook', id: endpoint.id } });
  return { secret };
}
