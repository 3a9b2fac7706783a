import type { AuthContext } from '../context.js';
import { newId } from '../lib/ids.js';
import type { AuthEvent, EventDataMap, EventName } from './event-bus.js';

/**
 * Records an event with a fresh id and the context's clock, as part of the change that caused it:
 * appends it to the outbox, which gives it the group's next `sequence` and queues a webhook delivery
 * for every endpoint subscribed to it, in the transaction of `inTransaction`. A failure to write it
 * fails (and rolls back) the change; the in-process listeners hear the event, with its sequence, once
 * the transaction has committed. Listeners and webhooks are fed from the one record.
 *
 * @throws Error when called outside `inTransaction`: an event written after its change could be lost
 * by a crash in between, which the outbox exists to prevent
 */
export async function emit<E extends EventName>(ctx: AuthContext, event: E, group: string, data: EventDataMap[E]): Promise<void> {
  if (!ctx.pendingEvents) throw new Error(`latchkey: the event ${event} must be emitted inside inTransaction`);
  const record = outboxRecord(event, group, data, ctx.clock.now());
  const { sequence } = await ctx.storage.outbox.append(record);
  ctx.pendingEvents.push({ id: record.id, event, group, occurredAt: record.occurredAt.toISOString(), sequence, data } as AuthEvent);
}

/**
 * The outbox record of an event that happened at `now`: a fresh id and the JSON payload receivers get
 * (`{ id, event, group, occurredAt, data }`; the outbox adds the `sequence`). `emit` appends it; the
 * command line, which runs without an `Auth`, appends it in its own storage transaction.
 */
export function outboxRecord<E extends EventName>(event: E, group: string, data: EventDataMap[E], now: Date) {
  const id = newId('evt', now);
  const payload = JSON.stringify({ id, event, group, occurredAt: now.toISOString(), data });
  return { id, group, event, occurredAt: now, payload };
}
