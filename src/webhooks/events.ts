import type { EventDataMap } from '../core/events/event-bus.js';

/** The `data` of the `webhook.test` event that `POST /webhooks/{id}/test` (`auth.sendTestWebhook`) sends. */
export interface WebhookTestData {
  /** The endpoint tested, the only one this event is delivered to. */
  endpointId: string;
}

/**
 * The `data` of each event a webhook delivers, by name: latchkey's events ({@link EventDataMap}: the
 * account resource as `account`, never an internal record) and `webhook.test`.
 *
 * @example
 * ```ts
 * type Locked = WebhookDataMap['account.locked'] // { account: AccountResource }
 * ```
 */
export interface WebhookDataMap extends EventDataMap {
  /** Sent by `POST /webhooks/{id}/test` to check a receiver and its secret. */
  'webhook.test': WebhookTestData;
}

/**
 * The name of an event a webhook delivers: each of latchkey's event names (`EVENT_NAMES`), and
 * `webhook.test`. A newer latchkey may send names not listed here: keep a `default` branch.
 *
 * @example
 * ```ts
 * const wanted: WebhookEventName[] = ['account.created', 'account.deleted']
 * ```
 */
export type WebhookEventName = keyof WebhookDataMap;

/**
 * One delivered event of a given name, exactly as the request body holds it.
 *
 * @example
 * ```ts
 * function onCreated(event: WebhookEventOf<'account.created'>): void {
 *   crm.upsert(event.data.account.id, event.data.account.email.address)
 * }
 * ```
 */
export interface WebhookEventOf<E extends WebhookEventName> {
  /** The event id, also the `webhook-id` header: the same on every retry, so de-duplicate on it. */
  id: string;
  /** The event's name, which decides the type of `data`. */
  event: E;
  /** The auth group the event happened in. */
  group: string;
  /** When it happened (ISO 8601, UTC). */
  occurredAt: string;
  /** The event's place in its group's outbox: increasing, gaps allowed; order by it. */
  sequence: number;
  /** What happened, by event name (see {@link WebhookDataMap}). */
  data: WebhookDataMap[E];
}

/**
 * Any delivered event, as a union on `event`: `switch (event.event)` narrows `data`. What
 * {@link verifyWebhook} returns.
 *
 * @example
 * ```ts
 * switch (event.event) {
 *   case 'account.created': welcome(event.data.account.email.address); break
 *   case 'session.revoked': forget(event.data.sessionIds); break
 *   default: break // other events, and names a newer latchkey adds
 * }
 * ```
 */
export type WebhookEvent = { [E in WebhookEventName]: WebhookEventOf<E> }[WebhookEventName];
