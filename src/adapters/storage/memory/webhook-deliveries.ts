import { AuthError } from '../../../core/errors.js';
import { assertPageLimit, decodePageCursor, encodePageCursor, type PageCursor } from '../../../core/lib/page-cursor.js';
import type {
  ClaimedDelivery,
  Page,
  WebhookAttemptRecord,
  WebhookDeliveryRecord,
  WebhookDeliveryRepository,
} from '../../../core/ports.js';
import { copy, type DeliveryEntry, type MemoryState, scopedKey } from './state.js';

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first: creation time descending, then id descending. */
function newestFirst(a: PageCursor, b: PageCursor): number {
  return a.t !== b.t ? b.t - a.t : byId(b.id, a.id);
}

const position = (d: WebhookDeliveryRecord): PageCursor => ({ t: d.createdAt.getTime(), id: d.id });

/**
 * The in-memory {@link WebhookDeliveryRepository}. The lease of a claimed delivery is kept beside the
 * record. No method awaits: `claimDue` picks and leases its deliveries, and `complete` checks the lease
 * and records the attempt, before any other caller's code runs.
 */
export function createWebhookDeliveryRepository(state: MemoryState): WebhookDeliveryRepository {
  const deliveries = state.webhookDeliveries;
  const entry = (group: string, endpointId: string, id: string): DeliveryEntry | undefined => {
    const found = deliveries.get(scopedKey(group, id));
    return found && found.record.endpointId === endpointId ? found : undefined;
  };

  return {
    async claimDue(now, options): Promise<ClaimedDelivery[]> {
      const { owner, leaseSeconds, limit } = options;
      assertPageLimit(limit);
      const nowMs = now.getTime();
      const due = [...deliveries.values()]
        .filter(({ record, leaseExpiresAt }) => {
          const endpoint = state.webhookEndpoints.get(scopedKey(record.group, record.endpointId));
          return (
            record.status === 'pending' &&
            record.nextAttemptAt !== null &&
            record.nextAttemptAt.getTime() <= nowMs &&
            (leaseExpiresAt === null || leaseExpiresAt <= nowMs) &&
            endpoint !== undefined &&
            endpoint.disabledAt === null &&
            state.outboxEvents.has(scopedKey(record.group, record.eventId))
          );
        })
        .sort(
          (a, b) =>
            a.record.nextAttemptAt!.getTime() - b.record.nextAttemptAt!.getTime() ||
            byId(a.record.group, b.record.group) ||
            byId(a.record.id, b.record.id),
        )
        .slice(0, limit);
      return due.map((claimed) => {
        claimed.leaseOwner = owner;
        claimed.leaseExpiresAt = nowMs + Math.round(leaseSeconds * 1000);
        const event = state.outboxEvents.get(scopedKey(claimed.record.group, claimed.record.eventId))!;
        return { delivery: copy(claimed.record), event: copy(event) };
      });
    },

    async complete(group, id, owner, outcome): Promise<boolean> {
      const found = deliveries.get(scopedKey(group, id));
      if (!found || found.leaseOwner !== owner || found.record.status !== 'pending') return false;
      const { attempt } = outcome;
      const attemptKey = scopedKey(group, attempt.id);
      if (state.webhookAttempts.has(attemptKey)) {
        throw new AuthError('conflict', 'A webhook attempt with this id already exists in the group.');
      }
      state.webhookAttempts.set(attemptKey, { ...copy(attempt), group, deliveryId: id });
      found.record = {
        ...found.record,
        status: outcome.status,
        attempts: found.record.attempts + 1,
        nextAttemptAt: outcome.nextAttemptAt === null ? null : new Date(outcome.nextAttemptAt),
        lastAttemptAt: new Date(attempt.attemptedAt),
        lastResponseStatus: attempt.responseStatus,
        lastError: attempt.error,
      };
      found.leaseOwner = null;
      found.leaseExpiresAt = null;
      return true;
    },

    async find(group, endpointId, id): Promise<WebhookDeliveryRecord | null> {
      const found = entry(group, endpointId, id);
      return found ? copy(found.record) : null;
    },

    async list(group, endpointId, options): Promise<Page<WebhookDeliveryRecord>> {
      const { limit, cursor, status } = options;
      assertPageLimit(limit);
      const after = cursor === undefined || cursor === null ? null : decodePageCursor(cursor);
      const matching = [...deliveries.values()]
        .map(({ record }) => record)
        .filter(
          (d) =>
            d.group === group &&
            d.endpointId === endpointId &&
            (status === undefined || d.status === status) &&
            (after === null || newestFirst(after, position(d)) < 0),
        )
        .sort((a, b) => newestFirst(position(a), position(b)));
      const data = matching.slice(0, limit);
      const last = data[data.length - 1];
      return {
        data: data.map(copy),
        nextCursor: matching.length > limit && last ? encodePageCursor({ time: last.createdAt, id: last.id }) : null,
      };
    },

    async listAttempts(group, deliveryId): Promise<WebhookAttemptRecord[]> {
      return [...state.webhookAttempts.values()]
        .filter((a) => a.group === group && a.deliveryId === deliveryId)
        .sort((a, b) => a.attemptedAt.getTime() - b.attemptedAt.getTime() || byId(a.id, b.id))
        .map(copy);
    },

    async create(delivery): Promise<void> {
      const key = scopedKey(delivery.group, delivery.id);
      if (deliveries.has(key)) throw new AuthError('conflict', 'A webhook delivery with this id already exists in the group.');
      deliveries.set(key, { record: copy(delivery), leaseOwner: null, leaseExpiresAt: null });
    },

    async retry(group, endpointId, id, now): Promise<WebhookDeliveryRecord | null> {
      const found = entry(group, endpointId, id);
      if (!found) return null;
      // The lease stays, as in the SQL adapter: a dispatcher still holding it can record its attempt.
      found.record = { ...found.record, status: 'pending', nextAttemptAt: new Date(now) };
      return copy(found.record);
    },
  };
}
