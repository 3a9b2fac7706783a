import { describe, expect, it } from 'vitest';
import type { OutboxEventRecord, Storage } from '../../core/ports.js';
import { race, seedGroup, type SuiteContext } from './helpers.js';
import { at, makeOutboxEvent, makeWebhookAttempt, makeWebhookDelivery, makeWebhookEndpoint } from './records.js';

/** An instant of 1979, an era no other part of the suite writes (`purge` works across groups). */
const PURGE_ERA = Date.UTC(1979, 5, 1, 0, 0, 0, 321);

/** Appends events named `names` to `group`, one after the other. */
async function appendAll(storage: Storage, group: string, names: string[], offset = 0): Promise<OutboxEventRecord[]> {
  const events: OutboxEventRecord[] = [];
  for (const [i, event] of names.entries()) {
    events.push(await storage.outbox.append(makeOutboxEvent({ group, event, occurredAt: at(offset + i) })));
  }
  return events;
}

/** The outbox: sequence numbers, the deliveries an append creates, the feed, retention. */
export function describeOutbox(ctx: SuiteContext): void {
  describe('outbox', () => {
    it('appends events with the group’s next sequence number and round-trips them', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const input = makeOutboxEvent({ group, event: 'session.revoked' });
      const first = await ctx.storage.outbox.append(input);
      expect(first).toStrictEqual({ ...input, sequence: 1 });
      expect((await ctx.storage.outbox.append(makeOutboxEvent({ group: other }))).sequence).toBe(1);
      expect((await ctx.storage.outbox.append(makeOutboxEvent({ group }))).sequence).toBe(2);
      expect(await ctx.storage.outbox.find(group, input.id)).toStrictEqual(first);
      expect(await ctx.storage.outbox.find(other, input.id)).toBeNull();
    });

    it('gives 20 concurrent appends to one group distinct, consecutive sequence numbers', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const inputs = Array.from({ length: 20 }, (_, i) => makeOutboxEvent({ group, occurredAt: at(i) }));
      const results = await race(20, (i) => ctx.storage.outbox.append(inputs[i]!));
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(failures).toStrictEqual([]);
      const sequences = results.map((r) => (r.status === 'fulfilled' ? r.value.sequence : 0)).sort((a, b) => a - b);
      expect(sequences).toStrictEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const listed = await ctx.storage.outbox.list(group, { after: 0, limit: 100 });
      expect(listed.map((e) => e.sequence)).toStrictEqual(sequences);
    });

    it('refuses an event id the group has already', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const event = makeOutboxEvent({ group });
      await ctx.storage.outbox.append(event);
      await expect(ctx.storage.outbox.append(event)).rejects.toMatchObject({ name: 'AuthError', code: 'conflict' });
    });

    it('creates a pending delivery for each enabled endpoint of the group subscribed to the event, and no other', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const all = makeWebhookEndpoint({ group });
      const subscribed = makeWebhookEndpoint({ group, events: ['session.revoked', 'account.created'] });
      const elsewhere = makeWebhookEndpoint({ group, events: ['session.revoked'] });
      const disabled = makeWebhookEndpoint({ group, disabledAt: at(), disabledReason: 'gone' });
      const otherGroup = makeWebhookEndpoint({ group: other });
      for (const endpoint of [all, subscribed, elsewhere, disabled, otherGroup]) await ctx.storage.webhookEndpoints.create(endpoint);

      const event = await ctx.storage.outbox.append(makeOutboxEvent({ group, event: 'account.created', occurredAt: at(5) }));
      const deliveriesOf = async (g: string, endpointId: string) =>
        (await ctx.storage.webhookDeliveries.list(g, endpointId, { limit: 10 })).data;
      for (const endpoint of [all, subscribed]) {
        const [delivery, ...rest] = await deliveriesOf(group, endpoint.id);
        expect(rest).toStrictEqual([]);
        expect(delivery).toMatchObject({
          group,
          endpointId: endpoint.id,
          eventId: event.id,
          event: 'account.created',
          status: 'pending',
          attempts: 0,
          nextAttemptAt: event.occurredAt,
          lastAttemptAt: null,
          lastResponseStatus: null,
          lastError: null,
        });
        expect(await ctx.storage.webhookDeliveries.find(group, endpoint.id, delivery!.id)).toStrictEqual(delivery);
      }
      expect(await deliveriesOf(group, elsewhere.id)).toStrictEqual([]);
      expect(await deliveriesOf(group, disabled.id)).toStrictEqual([]);
      expect(await deliveriesOf(other, otherGroup.id)).toStrictEqual([]);
    });

    it('lists a group’s events after a sequence number, by name, at most limit, in order', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const names = ['account.created', 'session.revoked', 'account.created', 'account.updated', 'account.created'];
      const events = await appendAll(ctx.storage, group, names);
      await appendAll(ctx.storage, other, names);
      const list = (options: { after: number; limit: number; event?: string }) => ctx.storage.outbox.list(group, options);
      expect(await list({ after: 0, limit: 10 })).toStrictEqual(events);
      expect(await list({ after: 2, limit: 2 })).toStrictEqual(events.slice(2, 4));
      expect(await list({ after: 5, limit: 10 })).toStrictEqual([]);
      expect(await list({ after: 0, limit: 10, event: 'account.created' })).toStrictEqual([events[0], events[2], events[4]]);
      expect(await list({ after: 1, limit: 1, event: 'account.created' })).toStrictEqual([events[2]]);
      expect(await ctx.storage.outbox.list(uniqueGroupless(), { after: 0, limit: 10 })).toStrictEqual([]);
    });

    it('purges old events without a pending delivery, with their deliveries and attempts, at most limit', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const old = (offset: number) => new Date(PURGE_ERA + offset);
      // Appended before the endpoint exists: the deliveries below are the only ones.
      const [done, waiting, quiet, recent] = await Promise.all(
        [old(0), old(1), old(2), old(10 * 86_400_000)].map((occurredAt) =>
          ctx.storage.outbox.append(makeOutboxEvent({ group, occurredAt })),
        ),
      );
      const endpoint = makeWebhookEndpoint({ group });
      await ctx.storage.webhookEndpoints.create(endpoint);
      const delivered = makeWebhookDelivery({ group, endpointId: endpoint.id, eventId: done!.id, nextAttemptAt: old(0), createdAt: old(0) });
      const pending = makeWebhookDelivery({
        group,
        endpointId: endpoint.id,
        eventId: waiting!.id,
        nextAttemptAt: new Date(Date.UTC(2100, 0, 1)),
        createdAt: old(1),
      });
      await ctx.storage.webhookDeliveries.create(delivered);
      await ctx.storage.webhookDeliveries.create(pending);
      const [claimed] = await ctx.storage.webhookDeliveries.claimDue(old(100), { owner: 'purger', leaseSeconds: 60, limit: 10 });
      expect(claimed?.delivery.id).toBe(delivered.id);
      const attempt = makeWebhookAttempt({ group, deliveryId: delivered.id, attemptedAt: old(100) });
      expect(
        await ctx.storage.webhookDeliveries.complete(group, delivered.id, 'purger', { attempt, status: 'delivered', nextAttemptAt: null }),
      ).toBe(true);

      const before = old(86_400_000);
      expect(await ctx.storage.outbox.purge(before, 1)).toBe(1);
      expect(await ctx.storage.outbox.purge(before, 10)).toBe(1);
      expect(await ctx.storage.outbox.purge(before, 10)).toBe(0);
      expect(await ctx.storage.outbox.find(group, done!.id)).toBeNull();
      expect(await ctx.storage.outbox.find(group, quiet!.id)).toBeNull();
      expect(await ctx.storage.outbox.find(group, waiting!.id)).toStrictEqual(waiting);
      expect(await ctx.storage.outbox.find(group, recent!.id)).toStrictEqual(recent);
      expect(await ctx.storage.webhookDeliveries.find(group, endpoint.id, delivered.id)).toBeNull();
      expect(await ctx.storage.webhookDeliveries.listAttempts(group, delivered.id)).toStrictEqual([]);
      expect(await ctx.storage.webhookDeliveries.find(group, endpoint.id, pending.id)).toStrictEqual(pending);
    });
  });
}

/** A group id no test creates. */
function uniqueGroupless(): string {
  return `grp_none_${crypto.randomUUID()}`;
}
