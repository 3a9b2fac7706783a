import { AuthError } from '../../../core/errors.js';
import { newId } from '../../../core/lib/ids.js';
import { endpointReceives } from '../../../core/lib/webhook-subscription.js';
import type { OutboxEventRecord, OutboxRepository } from '../../../core/ports.js';
import { copy, type MemoryState, scopedKey } from './state.js';

/**
 * The in-memory {@link OutboxRepository}. `append` does not await: the sequence, the event and its
 * deliveries are written before any other caller's code runs, so it is atomic by construction.
 */
export function createOutboxRepository(state: MemoryState): OutboxRepository {
  const events = state.outboxEvents;
  return {
    async append(input): Promise<OutboxEventRecord> {
      const key = scopedKey(input.group, input.id);
      if (!state.groups.has(input.group)) throw new AuthError('not_found', 'No group with this id.');
      if (events.has(key)) throw new AuthError('conflict', 'An event with this id already exists in the group.');
      const sequence = (state.eventSequences.get(input.group) ?? 0) + 1;
      const event: OutboxEventRecord = { ...copy(input), sequence };
      state.eventSequences.set(input.group, sequence);
      events.set(key, event);
      const endpoints = [...state.webhookEndpoints.values()]
        .filter((e) => e.group === event.group && e.disabledAt === null && endpointReceives(e.events, event.event))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const endpoint of endpoints) {
        const id = newId('whd', event.occurredAt);
        state.webhookDeliveries.set(scopedKey(event.group, id), {
          record: {
            id,
            group: event.group,
            endpointId: endpoint.id,
            eventId: event.id,
            event: event.event,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: new Date(event.occurredAt),
            lastAttemptAt: null,
            lastResponseStatus: null,
            lastError: null,
            createdAt: new Date(event.occurredAt),
          },
          leaseOwner: null,
          leaseExpiresAt: null,
        });
      }
      return copy(event);
    },

    async list(group, options): Promise<OutboxEventRecord[]> {
      return [...events.values()]
        .filter((e) => e.group === group && e.sequence > options.after && (options.event === undefined || e.event === options.event))
        .sort((a, b) => a.sequence - b.sequence)
        .slice(0, options.limit)
        .map(copy);
    },

    async find(group, id): Promise<OutboxEventRecord | null> {
      const event = events.get(scopedKey(group, id));
      return event ? copy(event) : null;
    },

    async purge(before, limit): Promise<number> {
      const pending = new Set<string>();
      for (const { record } of state.webhookDeliveries.values()) {
        if (record.status === 'pending') pending.add(scopedKey(record.group, record.eventId));
      }
      const due = [...events.entries()]
        .filter(([key, e]) => e.occurredAt.getTime() < before.getTime() && !pending.has(key))
        .sort(([, a], [, b]) => a.occurredAt.getTime() - b.occurredAt.getTime())
        .slice(0, limit);
      const removed = new Set(due.map(([key]) => key));
      for (const [key, { record }] of state.webhookDeliveries) {
        if (!removed.has(scopedKey(record.group, record.eventId))) continue;
        state.webhookDeliveries.delete(key);
        for (const [attemptKey, attempt] of state.webhookAttempts) {
          if (attempt.group === record.group && attempt.deliveryId === record.id) state.webhookAttempts.delete(attemptKey);
        }
      }
      for (const key of removed) events.delete(key);
      return removed.size;
    },
  };
}
