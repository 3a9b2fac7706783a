import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery, Storage, WebhookDeliveryRecord, WebhookEndpointRecord } from '../../core/ports.js';
import { expectAuthError, race, seedGroup, type SuiteContext } from './helpers.js';
import { at, makeOutboxEvent, makeWebhookAttempt, makeWebhookDelivery, makeWebhookEndpoint } from './records.js';

/**
 * `claimDue` works across groups, so each test that claims uses an era of its own (before 1979's, which
 * the outbox's purge uses), and no delivery of another test is due then.
 */
const era = (year: number) => (offsetMs = 0) => new Date(Date.UTC(year, 0, 1, 0, 0, 0, 123) + offsetMs);

/** A group with one enabled endpoint and one stored event. */
async function seedEndpoint(storage: Storage, occurredAt: Date, overrides: Partial<WebhookEndpointRecord> = {}) {
  const { id: group } = await seedGroup(storage);
  // The event first: appended while the group has no endpoint, it has no delivery.
  const event = await storage.outbox.append(makeOutboxEvent({ group, occurredAt }));
  const endpoint = makeWebhookEndpoint({ group, ...overrides });
  await storage.webhookEndpoints.create(endpoint);
  const delivery = (more: Partial<WebhookDeliveryRecord> = {}) =>
    makeWebhookDelivery({ group, endpointId: endpoint.id, eventId: event.id, nextAttemptAt: occurredAt, createdAt: occurredAt, ...more });
  return { group, event, endpoint, delivery };
}

const ids = (claimed: ClaimedDelivery[]) => claimed.map((c) => c.delivery.id);

/** Webhook endpoints and deliveries: CRUD, pages, claiming with leases, completion, retries. */
export function describeWebhooks(ctx: SuiteContext): void {
  describe('webhook endpoints', () => {
    it('creates, finds, updates and deletes an endpoint, only in its group', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const endpoint = makeWebhookEndpoint({
        group,
        events: ['account.created', 'session.revoked'],
        description: 'CRM sync ✓',
        previousSecretSealed: 'sealed.old',
        previousSecretExpiresAt: at(86_400_000),
      });
      const endpoints = ctx.storage.webhookEndpoints;
      await endpoints.create(endpoint);
      await expectAuthError(endpoints.create(endpoint), 'conflict');
      expect(await endpoints.find(group, endpoint.id)).toStrictEqual(endpoint);
      expect(await endpoints.find(other, endpoint.id)).toBeNull();

      const patch = { url: 'https://example.org/h', events: null, disabledAt: at(9), disabledReason: '410 Gone', updatedAt: at(9) };
      const updated = { ...endpoint, ...patch };
      expect(await endpoints.update(other, endpoint.id, patch)).toBeNull();
      expect(await endpoints.update(group, endpoint.id, patch)).toStrictEqual(updated);
      expect(await endpoints.find(group, endpoint.id)).toStrictEqual(updated);
      expect(await endpoints.update(group, 'whe_missing', patch)).toBeNull();

      expect(await endpoints.delete(other, endpoint.id)).toBe(false);
      expect(await endpoints.delete(group, endpoint.id)).toBe(true);
      expect(await endpoints.delete(group, endpoint.id)).toBe(false);
      expect(await endpoints.find(group, endpoint.id)).toBeNull();
    });

    it('never lets concurrent creations pass a group’s limit', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      await ctx.storage.webhookEndpoints.create(makeWebhookEndpoint({ group: other }), { limit: 1 });
      const outcomes = await race(8, () => ctx.storage.webhookEndpoints.create(makeWebhookEndpoint({ group }), { limit: 3 }));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'conflict' });
      expect((await ctx.storage.webhookEndpoints.list(group, { limit: 20 })).data).toHaveLength(3);
    });

    it('rotates a secret in one step: concurrent rotations each keep theirs', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const endpoint = makeWebhookEndpoint({ group, secretSealed: 'sealed.first' });
      await ctx.storage.webhookEndpoints.create(endpoint);
      const rotation = (secretSealed: string) => ({ secretSealed, previousSecretExpiresAt: at(86_400_000), updatedAt: at(5) });
      expect(await ctx.storage.webhookEndpoints.rotateSecret(group, 'whe_missing', rotation('sealed.x'))).toBeNull();
      const rotated = await ctx.storage.webhookEndpoints.rotateSecret(group, endpoint.id, rotation('sealed.second'));
      expect(rotated).toStrictEqual({ ...endpoint, ...rotation('sealed.second'), previousSecretSealed: 'sealed.first' });

      await Promise.all([
        ctx.storage.webhookEndpoints.rotateSecret(group, endpoint.id, rotation('sealed.a')),
        ctx.storage.webhookEndpoints.rotateSecret(group, endpoint.id, rotation('sealed.b')),
      ]);
      const after = await ctx.storage.webhookEndpoints.find(group, endpoint.id);
      // Whichever ran last is current, and the other one is its previous secret: neither is lost.
      expect([after?.secretSealed, after?.previousSecretSealed].sort()).toEqual(['sealed.a', 'sealed.b']);
    });

    it('lists a group’s endpoints by id, one page at a time', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const created = Array.from({ length: 5 }, () => makeWebhookEndpoint({ group }));
      for (const endpoint of created) await ctx.storage.webhookEndpoints.create(endpoint);
      await ctx.storage.webhookEndpoints.create(makeWebhookEndpoint({ group: other }));
      const seen: WebhookEndpointRecord[] = [];
      let cursor: string | null = null;
      do {
        const page = await ctx.storage.webhookEndpoints.list(group, { limit: 2, cursor });
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data);
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toStrictEqual([...created].sort((a, b) => (a.id < b.id ? -1 : 1)));
      expect((await ctx.storage.webhookEndpoints.list(other, { limit: 10 })).data).toHaveLength(1);
      await expectAuthError(ctx.storage.webhookEndpoints.list(group, { limit: 2, cursor: 'not a cursor' }), 'validation_failed');
    });

    it('deletes an endpoint with its deliveries and their attempts', async () => {
      const now = era(1978);
      const { group, endpoint, delivery } = await seedEndpoint(ctx.storage, now());
      const stored = delivery();
      await ctx.storage.webhookDeliveries.create(stored);
      await ctx.storage.webhookDeliveries.claimDue(now(1), { owner: 'a', leaseSeconds: 60, limit: 10 });
      const attempt = makeWebhookAttempt({ group, deliveryId: stored.id, attemptedAt: now(2) });
      await ctx.storage.webhookDeliveries.complete(group, stored.id, 'a', { attempt, status: 'delivered', nextAttemptAt: null });
      expect(await ctx.storage.webhookDeliveries.listAttempts(group, stored.id)).toHaveLength(1);
      expect(await ctx.storage.webhookEndpoints.delete(group, endpoint.id)).toBe(true);
      expect(await ctx.storage.webhookDeliveries.find(group, endpoint.id, stored.id)).toBeNull();
      expect(await ctx.storage.webhookDeliveries.listAttempts(group, stored.id)).toStrictEqual([]);
    });
  });

  describe('webhook deliveries', () => {
    it('stores, finds and pages an endpoint’s deliveries newest first, by status, only in its group', async () => {
      const { group, endpoint, delivery } = await seedEndpoint(ctx.storage, at());
      const statuses = ['pending', 'failed', 'delivered', 'failed', 'failed'] as const;
      const stored = statuses.map((status, i) =>
        delivery({
          status,
          createdAt: at(i % 2 === 0 ? 0 : 1), // ties in time: the id orders them
          nextAttemptAt: status === 'pending' ? at(i) : null,
          attempts: status === 'pending' ? 0 : 3,
          lastAttemptAt: status === 'pending' ? null : at(50),
          lastResponseStatus: status === 'failed' ? 500 : status === 'delivered' ? 200 : null,
          lastError: status === 'failed' ? 'HTTP 500' : null,
        }),
      );
      for (const d of stored) await ctx.storage.webhookDeliveries.create(d);
      await expectAuthError(ctx.storage.webhookDeliveries.create(stored[0]!), 'conflict');
      expect(await ctx.storage.webhookDeliveries.find(group, endpoint.id, stored[1]!.id)).toStrictEqual(stored[1]);
      expect(await ctx.storage.webhookDeliveries.find(group, 'whe_other', stored[1]!.id)).toBeNull();
      const { id: other } = await seedGroup(ctx.storage);
      expect(await ctx.storage.webhookDeliveries.find(other, endpoint.id, stored[1]!.id)).toBeNull();
      expect((await ctx.storage.webhookDeliveries.list(other, endpoint.id, { limit: 10 })).data).toStrictEqual([]);

      const newestFirst = (list: WebhookDeliveryRecord[]) =>
        [...list].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
      const readAll = async (status?: 'failed') => {
        const seen: WebhookDeliveryRecord[] = [];
        let cursor: string | null = null;
        do {
          const page = await ctx.storage.webhookDeliveries.list(group, endpoint.id, { limit: 2, cursor, status });
          seen.push(...page.data);
          cursor = page.nextCursor;
        } while (cursor !== null);
        return seen;
      };
      expect(await readAll()).toStrictEqual(newestFirst(stored));
      expect(await readAll('failed')).toStrictEqual(newestFirst(stored.filter((d) => d.status === 'failed')));
    });

    it('hands 30 due deliveries to 5 concurrent claimers in disjoint sets, all of them', async () => {
      const now = era(1977);
      const { delivery, event } = await seedEndpoint(ctx.storage, now());
      const stored = Array.from({ length: 30 }, (_, i) => delivery({ nextAttemptAt: now(i) }));
      for (const d of stored) await ctx.storage.webhookDeliveries.create(d);
      const results = await race(5, (i) =>
        ctx.storage.webhookDeliveries.claimDue(now(60_000), { owner: `dispatcher-${i}`, leaseSeconds: 30, limit: 10 }),
      );
      const claimed = results.flatMap((r) => {
        expect(r.status).toBe('fulfilled');
        return r.status === 'fulfilled' ? ids(r.value) : [];
      });
      expect(new Set(claimed).size, 'no delivery is handed out twice').toBe(claimed.length);
      expect([...claimed].sort()).toStrictEqual(stored.map((d) => d.id).sort());
      const first = results[0]!.status === 'fulfilled' ? results[0]!.value[0] : undefined;
      if (first) expect(first.event).toStrictEqual(event);
      expect(await ctx.storage.webhookDeliveries.claimDue(now(60_000), { owner: 'late', leaseSeconds: 30, limit: 50 })).toStrictEqual([]);
    });

    it('takes due deliveries of enabled endpoints only, earliest first, and again once the lease expired', async () => {
      const now = era(1976);
      const { group, endpoint, delivery, event } = await seedEndpoint(ctx.storage, now());
      const disabled = makeWebhookEndpoint({ group, disabledAt: now(), disabledReason: 'admin' });
      await ctx.storage.webhookEndpoints.create(disabled);
      const later = delivery({ nextAttemptAt: now(2_000) });
      const earlier = delivery({ nextAttemptAt: now(1_000) });
      const notYet = delivery({ nextAttemptAt: now(3_600_000) });
      const ofDisabled = makeWebhookDelivery({ group, endpointId: disabled.id, eventId: event.id, nextAttemptAt: now() });
      for (const d of [later, earlier, notYet, ofDisabled]) await ctx.storage.webhookDeliveries.create(d);

      const claim = (owner: string, offset: number) =>
        ctx.storage.webhookDeliveries.claimDue(now(offset), { owner, leaseSeconds: 60, limit: 10 });
      const taken = await claim('a', 5_000);
      expect(taken).toStrictEqual([
        { delivery: earlier, event },
        { delivery: later, event },
      ]);
      expect(await claim('b', 30_000)).toStrictEqual([]);
      expect(ids(await claim('b', 65_001))).toStrictEqual([earlier.id, later.id]);

      // complete: only the lease holder writes; the stale owner changes nothing.
      const attempt = makeWebhookAttempt({ group, deliveryId: earlier.id, attemptedAt: now(66_000), responseStatus: 503, error: 'HTTP 503', responseExcerpt: 'busy' });
      const retryAt = now(600_000);
      expect(await ctx.storage.webhookDeliveries.complete(group, earlier.id, 'a', { attempt, status: 'pending', nextAttemptAt: retryAt })).toBe(false);
      expect(await ctx.storage.webhookDeliveries.listAttempts(group, earlier.id)).toStrictEqual([]);
      expect(await ctx.storage.webhookDeliveries.complete(group, earlier.id, 'b', { attempt, status: 'pending', nextAttemptAt: retryAt })).toBe(true);
      expect(await ctx.storage.webhookDeliveries.complete(group, earlier.id, 'b', { attempt: { ...attempt, id: 'wha_x' }, status: 'failed', nextAttemptAt: null })).toBe(false);
      expect(await ctx.storage.webhookDeliveries.listAttempts(group, earlier.id)).toStrictEqual([attempt]);
      expect(await ctx.storage.webhookDeliveries.find(group, endpoint.id, earlier.id)).toStrictEqual({
        ...earlier,
        attempts: 1,
        nextAttemptAt: retryAt,
        lastAttemptAt: attempt.attemptedAt,
        lastResponseStatus: 503,
        lastError: 'HTTP 503',
      });
      const done = makeWebhookAttempt({ group, deliveryId: later.id, attemptedAt: now(66_000) });
      expect(await ctx.storage.webhookDeliveries.complete(group, later.id, 'b', { attempt: done, status: 'delivered', nextAttemptAt: null })).toBe(true);
      // Released and not due before its next attempt; then due again, to anyone.
      expect(ids(await claim('c', 300_000))).toStrictEqual([]);
      expect(ids(await claim('c', 600_000))).toStrictEqual([earlier.id]);
      expect(await ctx.storage.webhookDeliveries.claimDue(now(600_000), { owner: 'd', leaseSeconds: 60, limit: 10 })).toStrictEqual([]);
    });

    it('retries a failed delivery: pending again, due now, its attempts kept', async () => {
      const now = era(1975);
      const { group, endpoint, delivery } = await seedEndpoint(ctx.storage, now());
      const stored = delivery();
      await ctx.storage.webhookDeliveries.create(stored);
      await ctx.storage.webhookDeliveries.claimDue(now(1), { owner: 'a', leaseSeconds: 60, limit: 10 });
      const attempt = makeWebhookAttempt({ group, deliveryId: stored.id, attemptedAt: now(2), responseStatus: null, error: 'timeout' });
      await ctx.storage.webhookDeliveries.complete(group, stored.id, 'a', { attempt, status: 'failed', nextAttemptAt: null });
      expect(await ctx.storage.webhookDeliveries.claimDue(now(3), { owner: 'a', leaseSeconds: 60, limit: 10 })).toStrictEqual([]);

      const { id: other } = await seedGroup(ctx.storage);
      expect(await ctx.storage.webhookDeliveries.retry(other, endpoint.id, stored.id, now(10))).toBeNull();
      expect(await ctx.storage.webhookDeliveries.retry(group, 'whe_other', stored.id, now(10))).toBeNull();
      const retried = await ctx.storage.webhookDeliveries.retry(group, endpoint.id, stored.id, now(10));
      expect(retried).toStrictEqual({
        ...stored,
        status: 'pending',
        attempts: 1,
        nextAttemptAt: now(10),
        lastAttemptAt: now(2),
        lastResponseStatus: null,
        lastError: 'timeout',
      });
      expect(await ctx.storage.webhookDeliveries.listAttempts(group, stored.id)).toStrictEqual([attempt]);
      expect(await ctx.storage.webhookDeliveries.listAttempts(other, stored.id)).toStrictEqual([]);
      expect(ids(await ctx.storage.webhookDeliveries.claimDue(now(10), { owner: 'b', leaseSeconds: 60, limit: 10 }))).toStrictEqual([stored.id]);
    });

    it('leaves nothing of a group’s outbox and webhooks once the group is deleted', async () => {
      const now = era(1974);
      const { group, endpoint, delivery, event } = await seedEndpoint(ctx.storage, now());
      const stored = delivery();
      await ctx.storage.webhookDeliveries.create(stored);
      expect(await ctx.storage.groups.delete(group)).toBe('deleted');
      expect(await ctx.storage.outbox.find(group, event.id)).toBeNull();
      expect(await ctx.storage.webhookEndpoints.find(group, endpoint.id)).toBeNull();
      expect(await ctx.storage.webhookDeliveries.find(group, endpoint.id, stored.id)).toBeNull();
      expect(await ctx.storage.webhookDeliveries.claimDue(now(1), { owner: 'a', leaseSeconds: 60, limit: 10 })).toStrictEqual([]);
    });
  });
}
