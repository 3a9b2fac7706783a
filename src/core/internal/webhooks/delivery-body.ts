import type { OutboxEventRecord } from '../../ports.js';

/**
 * The body receivers get for an event, and `GET /events` lists: `{ id, event, group, occurredAt,
 * sequence, data }`. Built from the stored payload the same way each time, so every retry sends the
 * same bytes under the same `webhook-id`.
 */
export function deliveryBody(record: OutboxEventRecord): string {
  const { id, event, group, occurredAt, data } = JSON.parse(record.payload) as Record<string, unknown>;
  return JSON.stringify({ id, event, group, occurredAt, sequence: record.sequence, data });
}
