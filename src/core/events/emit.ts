import type { AuthContext } from '../context.js';
import { newId } from '../lib/ids.js';
import type { EventDataMap, EventName } from './event-bus.js';

/** Emits an event with a fresh id and the context's clock. */
export function emit<E extends EventName>(ctx: AuthContext, event: E, group: string, data: EventDataMap[E]): void {
  const now = ctx.clock.now();
  ctx.events.emit({ id: newId('evt', now), event, group, occurredAt: now.toISOString(), data });
}
