/**
 * The event `POST /webhooks/{id}/test` appends to the outbox: it is delivered only to the endpoint
 * tested, through a delivery made by hand, so `outbox.append` creates no delivery for it.
 */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/**
 * Whether `outbox.append` queues a delivery of `event` for an endpoint subscribed to `events` (null:
 * every event latchkey emits). Shared by the storage adapters so they agree: the test event is never
 * fanned out, not even to endpoints subscribed to everything.
 *
 * @example
 * ```ts
 * endpointReceives(null, 'account.created') // true
 * endpointReceives(null, 'webhook.test') // false
 * endpointReceives(['account.locked'], 'account.created') // false
 * ```
 */
export function endpointReceives(events: readonly string[] | null, event: string): boolean {
  if (event === WEBHOOK_TEST_EVENT) return false;
  return events === null || events.includes(event);
}
