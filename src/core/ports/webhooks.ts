import type { Page } from './records.js';

/**
 * One event in the outbox: what happened, written in the same transaction as the change that caused
 * it. `payload` is the JSON body receivers get (`{ id, event, group, occurredAt, sequence, data }`),
 * serialised once, so every delivery and `GET /events` send the same bytes.
 */
export interface OutboxEventRecord {
  /** `evt_<ULID>`: the `webhook-id` header, stable across retries; receivers de-duplicate on it. */
  id: string;
  group: string;
  /** Per group, increasing by one for each event the group appends (assigned by `outbox.append`). */
  sequence: number;
  /** The event's name (`account.created`). */
  event: string;
  occurredAt: Date;
  /** The JSON body as delivered. */
  payload: string;
}

/** An HTTP endpoint a group's administrators subscribed to its events. */
export interface WebhookEndpointRecord {
  /** `whe_<ULID>`. */
  id: string;
  group: string;
  url: string;
  /** The event names it receives; null for every event. */
  events: string[] | null;
  description: string | null;
  /** The signing secret (`whsec_…`), sealed with the app's secret like the other secrets at rest. */
  secretSealed: string;
  /** While a rotation overlaps: the previous secret (sealed), which signs too until `previousSecretExpiresAt`. */
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Set when disabled, by an administrator or by a receiver answering 410 Gone. */
  disabledAt: Date | null;
  disabledReason: string | null;
}

/** Where a delivery stands: waiting (first try or a retry), acknowledged with a 2xx, or out of tries. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event to one endpoint, and how its attempts went. */
export interface WebhookDeliveryRecord {
  /** `whd_<ULID>`. */
  id: string;
  group: string;
  endpointId: string;
  eventId: string;
  event: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When a dispatcher may next try it; null once delivered or failed. */
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  createdAt: Date;
}

/** One try of a delivery, for the delivery log. */
export interface WebhookAttemptRecord {
  /** `wha_<ULID>`. */
  id: string;
  group: string;
  deliveryId: string;
  attemptedAt: Date;
  /** The receiver's status code; null when no response came (timeout, refused address, network). */
  responseStatus: number | null;
  /** Why it failed, short and without secrets; null when delivered. */
  error: string | null;
  durationMs: number;
  /** At most the first 256 characters of the receiver's body; never more is stored. */
  responseExcerpt: string | null;
}

/** A delivery a dispatcher holds for a while, with the event it carries. */
export interface ClaimedDelivery {
  delivery: WebhookDeliveryRecord;
  event: OutboxEventRecord;
}

/** How one attempt ended, as a dispatcher reports it to {@link WebhookDeliveryRepository.complete}. */
export interface WebhookAttemptOutcome {
  attempt: WebhookAttemptRecord;
  /** `delivered`, `failed` (no tries left), or `pending` again with `nextAttemptAt` set. */
  status: WebhookDeliveryStatus;
  nextAttemptAt: Date | null;
}

/** The events, by group, in sequence order. */
export interface OutboxRepository {
  /**
   * Appends an event, giving it the group's next sequence number, and creates a pending delivery
   * (`nextAttemptAt` = `occurredAt`) for every endpoint of the group that is enabled and subscribed to
   * the event. **Atomic**: under concurrent appends to one group each gets a distinct sequence, and
   * the event and its deliveries are written together or not at all. Called inside
   * `Storage.transaction` with the change that caused the event.
   */
  append(event: Omit<OutboxEventRecord, 'sequence'>): Promise<OutboxEventRecord>;
  /**
   * The group's events in sequence order, those after `after` (a sequence number; 0 for the start),
   * optionally only those named `event`, at most `limit`.
   */
  list(group: string, options: { after: number; limit: number; event?: string | undefined }): Promise<OutboxEventRecord[]>;
  /** The event with this id in this group, or null. */
  find(group: string, id: string): Promise<OutboxEventRecord | null>;
  /**
   * Retention: removes, across groups, up to `limit` events older than `before` that have no pending
   * delivery, with their deliveries and attempts; returns how many events it removed.
   */
  purge(before: Date, limit: number): Promise<number>;
}

/** The webhook endpoints of the groups. */
export interface WebhookEndpointRepository {
  /**
   * Stores an endpoint; with `options.limit`, only while its group has fewer endpoints than that,
   * checked atomically with the insert (concurrent creations at the limit store at most `limit` in
   * all). A full group, or an id the group already has, throws `AuthError('conflict')`.
   */
  create(endpoint: WebhookEndpointRecord, options?: { limit?: number }): Promise<void>;
  /** The endpoint with this id in this group, or null. */
  find(group: string, id: string): Promise<WebhookEndpointRecord | null>;
  /** The group's endpoints, oldest first, keyset-paged by id (`cursor` from a previous page). */
  list(group: string, options: { limit: number; cursor?: string | null | undefined }): Promise<Page<WebhookEndpointRecord>>;
  /** Applies `patch`; returns the endpoint, or null when the group has no such endpoint. */
  update(
    group: string,
    id: string,
    patch: Partial<Omit<WebhookEndpointRecord, 'id' | 'group' | 'createdAt'>>,
  ): Promise<WebhookEndpointRecord | null>;
  /**
   * A secret rotation in one atomic step: the current secret becomes the previous one (signing until
   * `previousSecretExpiresAt`) and `secretSealed` the current one. Two concurrent rotations both keep
   * their secret: the later one's previous secret is the earlier one's. Null when there is no such
   * endpoint.
   */
  rotateSecret(
    group: string,
    id: string,
    rotation: { secretSealed: string; previousSecretExpiresAt: Date; updatedAt: Date },
  ): Promise<WebhookEndpointRecord | null>;
  /** Removes the endpoint with its deliveries and their attempts; false when there was none. */
  delete(group: string, id: string): Promise<boolean>;
}

/** The deliveries of events to endpoints, and their attempts. */
export interface WebhookDeliveryRepository {
  /**
   * Takes up to `limit` pending deliveries due at `now` (`nextAttemptAt <= now`), oldest event first,
   * whose endpoint is enabled, and holds them for `owner` until `now + leaseSeconds`. **Atomic**: under
   * concurrent calls (several dispatchers, several app instances) a delivery is handed to one owner
   * while its lease lasts (`FOR UPDATE SKIP LOCKED` or a lease column); once the lease has expired
   * (the owner died), the next call may take it again.
   */
  claimDue(now: Date, options: { owner: string; leaseSeconds: number; limit: number }): Promise<ClaimedDelivery[]>;
  /**
   * Records one attempt of a delivery `owner` holds and moves it to `outcome.status`, releasing the
   * lease. Returns false, writing nothing, when the lease is no longer `owner`'s (it expired and another
   * dispatcher took the delivery).
   */
  complete(group: string, id: string, owner: string, outcome: WebhookAttemptOutcome): Promise<boolean>;
  /** The delivery with this id of this endpoint in this group, or null. */
  find(group: string, endpointId: string, id: string): Promise<WebhookDeliveryRecord | null>;
  /** An endpoint's deliveries, newest first, optionally by status, keyset-paged (`cursor` opaque). */
  list(
    group: string,
    endpointId: string,
    options: { limit: number; cursor?: string | null | undefined; status?: WebhookDeliveryStatus | undefined },
  ): Promise<Page<WebhookDeliveryRecord>>;
  /** A delivery's attempts, oldest first. */
  listAttempts(group: string, deliveryId: string): Promise<WebhookAttemptRecord[]>;
  /** Stores a delivery (a manual test event); an existing id throws `AuthError('conflict')`. */
  create(delivery: WebhookDeliveryRecord): Promise<void>;
  /**
   * Makes a delivery pending again, due at `now`, keeping its attempts (a manual retry of a failed or
   * delivered one). Returns it, or null when the endpoint has no such delivery.
   */
  retry(group: string, endpointId: string, id: string, now: Date): Promise<WebhookDeliveryRecord | null>;
}

/** What one {@link WebhookSender.send} did: delivered (2xx) or why not. Never a throw. */
export interface WebhookSendResult {
  /** True for a 2xx answer. */
  delivered: boolean;
  /** The receiver's status code; null when no response came (refused address, network, timeout). */
  status: number | null;
  /** Why it was not delivered, short and free of secrets and of the URL; null when delivered. */
  error: string | null;
  /** How long the attempt took, whole milliseconds. */
  durationMs: number;
  /** A 429's or 503's `Retry-After`, in seconds from now (an HTTP date is converted); null without one. */
  retryAfterSeconds: number | null;
  /** The receiver answered 410 Gone: the endpoint is disabled. */
  gone: boolean;
  /** At most the first 256 characters of the receiver's body, for the delivery log; null when no response came. */
  excerpt: string | null;
}

/**
 * Sends signed webhook requests for the dispatcher. The adapter (`createWebhookSender` in
 * `latchkey/adapters`) refuses addresses that are loopback, private, link-local or cloud metadata
 * unless allowed, resolves each host once and connects to the address it checked, follows no
 * redirects, reads a small part of the answer, and gives up after at most 15 seconds.
 *
 * @example
 * ```ts
 * const sender: WebhookSender = createWebhookSender({ production: true })
 * sender.check('http://169.254.169.254/') // { ok: false, reason: '…' }
 * ```
 */
export interface WebhookSender {
  /** Whether an endpoint URL may be subscribed at all (scheme, literal addresses, names like `localhost`). */
  check(url: string): { ok: true } | { ok: false; reason: string };
  /** POSTs `body` with `headers` to `url`. */
  send(request: { url: string; headers: Record<string, string>; body: string }): Promise<WebhookSendResult>;
}
