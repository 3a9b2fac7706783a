import { AuthError } from '../../../core/errors.js';
import { decodeIdCursor, encodeIdCursor } from '../../../core/lib/id-cursor.js';
import { assertPageLimit } from '../../../core/lib/page-cursor.js';
import type { Page, WebhookEndpointRecord, WebhookEndpointRepository } from '../../../core/ports.js';
import { applyPatch, copy, type MemoryState, scopedKey } from './state.js';

/** The in-memory {@link WebhookEndpointRepository}, paged by id like the groups. No method awaits. */
export function createWebhookEndpointRepository(state: MemoryState): WebhookEndpointRepository {
  const endpoints = state.webhookEndpoints;
  return {
    async create(endpoint, { limit = Infinity } = {}): Promise<void> {
      const key = scopedKey(endpoint.group, endpoint.id);
      if (endpoints.has(key)) throw new AuthError('conflict', 'A webhook endpoint with this id already exists in the group.');
      const held = [...endpoints.values()].filter((e) => e.group === endpoint.group).length;
      if (held >= limit) throw new AuthError('conflict', `A group can have at most ${limit} webhook endpoints.`);
      endpoints.set(key, copy(endpoint));
    },

    async find(group, id): Promise<WebhookEndpointRecord | null> {
      const endpoint = endpoints.get(scopedKey(group, id));
      return endpoint ? copy(endpoint) : null;
    },

    async list(group, options): Promise<Page<WebhookEndpointRecord>> {
      assertPageLimit(options.limit);
      const after = options.cursor === undefined || options.cursor === null ? null : decodeIdCursor(options.cursor);
      const matching = [...endpoints.values()]
        .filter((e) => e.group === group && (after === null || e.id > after))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const data = matching.slice(0, options.limit);
      const last = data[data.length - 1];
      return { data: data.map(copy), nextCursor: matching.length > options.limit && last ? encodeIdCursor(last.id) : null };
    },

    async update(group, id, patch): Promise<WebhookEndpointRecord | null> {
      const key = scopedKey(group, id);
      const endpoint = endpoints.get(key);
      if (!endpoint) return null;
      const next = applyPatch(endpoint, patch, ['id', 'group', 'createdAt']);
      endpoints.set(key, next);
      return copy(next);
    },

    async rotateSecret(group, id, rotation): Promise<WebhookEndpointRecord | null> {
      const key = scopedKey(group, id);
      const endpoint = endpoints.get(key);
      if (!endpoint) return null;
      const next = { ...endpoint, ...rotation, previousSecretSealed: endpoint.secretSealed };
      endpoints.set(key, next);
      return copy(next);
    },

    async delete(group, id): Promise<boolean> {
      if (!endpoints.delete(scopedKey(group, id))) return false;
      for (const [key, { record }] of state.webhookDeliveries) {
        if (record.group !== group || record.endpointId !== id) continue;
        state.webhookDeliveries.delete(key);
        for (const [attemptKey, attempt] of state.webhookAttempts) {
          if (attempt.group === group && attempt.deliveryId === record.id) state.webhookAttempts.delete(attemptKey);
        }
      }
      return true;
    },
  };
}
