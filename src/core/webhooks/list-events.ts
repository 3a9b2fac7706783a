import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { AuthEvent } from '../events/event-bus.js';
import { isEventName } from '../events/event-names.js';
import { deliveryBody } from '../internal/webhooks/delivery-body.js';
import { groupOf } from '../lib/group-of.js';
import { decodeSequenceCursor, encodeSequenceCursor } from '../lib/sequence-cursor.js';
import { WEBHOOK_TEST_EVENT } from '../lib/webhook-subscription.js';
import type { Page } from '../ports.js';

/** What `auth.listEvents` takes. */
export interface ListEventsInput {
  /** The group whose events are read (default `default`): never another group's. */
  group?: string | undefined;
  /** A previous page's `nextCursor`: the events after it. Absent: from the oldest event kept. */
  after?: string | null | undefined;
  /** Page size, 1 to 100 (default 50). */
  limit?: number | undefined;
  /** Only events of this name (`account.created` …). */
  event?: string | undefined;
}

/** The `listEvents` operation of `Auth`: the one place its documentation lives. */
export const listEventsOperation = {
  /**
   * The group's event feed (`GET /events`), oldest first, in `sequence` order: exactly the payloads the
   * webhooks deliver (`{ id, event, group, occurredAt, sequence, data }`), for a receiver catching up
   * without webhooks, or after an outage. Pass `nextCursor` back as `after` to read on. Unlike other
   * lists, a short page still has a `nextCursor` (the position after its last event, to resume from
   * later); `nextCursor` is null only when nothing came after `after`: keep that `after` and poll with
   * it again later. Events are kept for the `webhooks.retention` option (default 30 days).
   * `webhook.test` events are left out (they belong to one endpoint), so a page may hold fewer events
   * than `limit`.
   *
   * @throws AuthError `validation_failed` (a malformed `after`, a `limit` outside 1–100, an unknown
   * event name)
   * @example
   * ```ts
   * let after = loadCheckpoint() // null the first time
   * for (;;) {
   *   const page = await auth.listEvents({ group: 'acme', after })
   *   for (const event of page.data) await handle(event) // de-duplicate on event.id
   *   if (!page.nextCursor) break // nothing newer: poll again later from the same `after`
   *   after = page.nextCursor
   *   saveCheckpoint(after)
   * }
   * ```
   */
  listEvents,
};

/** See {@link listEventsOperation}. */
export async function listEvents(ctx: AuthContext, input: ListEventsInput = {}): Promise<Page<AuthEvent>> {
  const { limit = 50, event } = input;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid('limit', 'must be an integer from 1 to 100');
  if (event !== undefined && !isEventName(event)) throw invalid('event', 'is not an event latchkey emits');
  const after = input.after ? decodeSequenceCursor(input.after) : 0;
  const records = await ctx.storage.outbox.list(groupOf(input), { after, limit, event });
  const last = records.at(-1);
  return {
    data: records.filter((record) => record.event !== WEBHOOK_TEST_EVENT).map((record) => JSON.parse(deliveryBody(record)) as AuthEvent),
    nextCursor: last ? encodeSequenceCursor(last.sequence) : null,
  };
}

function invalid(path: string, message: string): AuthError {
  return new AuthError('validation_failed', 'The query is not valid.', { details: [{ path, message }] });
}
