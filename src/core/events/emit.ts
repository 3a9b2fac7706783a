import type { AuthContext } from '../context.js';
import { newId } from '../lib/ids.js';
import type { AuthEvent, EventDataMap, EventName } from './event-bus.js';

/**
 * Records an event with a fresh id and the context's clock: appends it to the outbox, which gives it
 * the group's next `sequence` and queues a webhook delivery for every endpoint subscribed to it, then
 * hands it to the in-process listeners, with that sequence. Listeners and webhooks are fed from the one
 * record.
 *
 * Inside `inTransaction` the append is part of the change's transaction: a failure to write it fails
 * (and rolls back) the change, and the listeners hear the event once it commits. Outside one, the
 * event is appended just after its change; when that fails (the database went away in between), it is
 * logged at `error` and the listeners still hear the event, without a sequence.
 */
export async function emit<E extends EventName>(ctx: AuthContext, event: E, group: string, data: EventDataMap[E]): Promise<void> {
  const now = ctx.clock.now();
  const id = newId('evt', now);
  const occurredAt = now.toISOString();
  const payload = JSON.stringify({ id, event, group, occurredAt, data });
  if (ctx.pendingEvents) {
    const { sequence } = await ctx.storage.outbox.append({ id, group, event, occurredAt: now, payload });
    ctx.pendingEvents.push({ id, event, group, occurredAt, sequence, data } as AuthEvent);
    return;
  }
  let sequence: number | undefined;
  try {
    sequence = (await ctx.storage.outbox.append({ id, group, event, occurredAt: now, payload })).sequence;
    ctx.webhooks.wake();
  } catch (error) {
    ctx.logger.error('could not record an event in the outbox', {
      event,
      group,
      error: error instanceof Error ? error.message : String(error),
    });
  }
  ctx.events.emit({ id, event, group, occurredAt, ...(sequence === undefined ? {} : { sequence }), data });
}
