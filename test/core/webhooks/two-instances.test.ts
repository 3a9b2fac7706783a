import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createWebhookSender } from '../../../src/adapters/index.js';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import { startReceiver, type Receiver } from '../../adapters/webhooks/receiver.js';
import { describeWithService, pgTestDatabase, serviceUrl, type TestDatabase } from '../../support/services.js';
import { createTestAuth, PASSWORD } from '../helpers.js';
import { deliveryStatuses, outboxEventIds } from './fixtures/outbox-reads.js';
import { spawnApp, until, type AppProcess } from './fixtures/spawn-app.js';

const EVENTS = 1000;

/**
 * The multi-instance test: two app processes (real children) run a dispatcher each on one
 * PostgreSQL schema; this process appends 1,000 events (registrations, its own dispatcher not started).
 * `SELECT … FOR UPDATE SKIP LOCKED` under a lease means each delivery is sent by one of them: every
 * webhook-id arrives exactly once. A duplicate would only be allowed after a lease expired (20 s), which
 * no attempt here comes near, so none is allowed.
 */
await describeWithService('postgres', 'webhook delivery from two app processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let receiver: Receiver;
  const apps: AppProcess[] = [];

  beforeEach(async () => {
    database = await pgTestDatabase();
    await migrate(database.db);
    // A little latency, so that both dispatchers have batches in flight at the same time.
    receiver = await startReceiver((_request, response) => {
      setTimeout(() => {
        if (!response.destroyed) response.writeHead(200).end('ok');
      }, Math.random() * 30);
    });
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.kill9();
    await receiver.close();
    await database.destroy();
  });

  it('1,000 events, two dispatcher processes: each webhook-id delivered exactly once', { timeout: 120_000 }, async () => {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
    const schema = rows[0]!.schema;
    const env = { DB: 'postgres', PG_URL: serviceUrl('postgres'), PG_SCHEMA: schema, MODE: 'deliver' };

    // The events come from this process, on the real clock (the children's), with no dispatcher here.
    const { auth } = createTestAuth({
      storage: kyselyStorage(database.db),
      webhookSender: createWebhookSender({ production: false, allow: ['127.0.0.1'] }),
      clock: { now: () => new Date() },
    });
    const endpoint = await auth.createWebhookEndpoint({ url: `${receiver.origin}/hooks` });
    const register = async (from: number, to: number) => {
      for (let i = from; i < to; i += 10) {
        await Promise.all(Array.from({ length: 10 }, (_, k) => auth.register({ email: `user${i + k}@example.com`, password: PASSWORD })));
      }
    };
    const started = Date.now();
    // Half before the apps start (both race over a backlog), half while they run (they poll for it).
    await register(0, EVENTS / 2);
    apps.push(spawnApp({ ...env, INSTANCE: 'a' }), spawnApp({ ...env, INSTANCE: 'b' }));
    await Promise.all(apps.map((app) => app.waitFor((m) => m.ready === true)));
    await register(EVENTS / 2, EVENTS);
    const producedAt = Date.now() - started;

    const storage = kyselyStorage(database.db);
    const eventIds = await outboxEventIds(storage);
    expect(eventIds.length).toBe(EVENTS);
    const expected = new Set(eventIds);
    const received = () => new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
    await until(
      () => eventIds.every((id) => received().has(id)),
      45_000,
      () => `${eventIds.filter((id) => !received().has(id)).length} events never received (stderr: ${apps.map((a) => a.stderr.join('')).join(' | ')})`,
    );
    let statuses: Record<string, number> = {};
    await until(
      async () => (statuses = await deliveryStatuses(storage, endpoint.id)).delivered === EVENTS,
      10_000,
      () => `deliveries not all delivered: ${JSON.stringify(statuses)}`,
    );
    const deliveredAt = Date.now() - started;
    await Promise.all(apps.map((app) => app.stop()));

    const perId = new Map<string, number>();
    for (const request of receiver.received) {
      const id = String(request.headers['webhook-id']);
      expect(JSON.parse(request.body).id).toBe(id);
      expect(expected.has(id)).toBe(true);
      perId.set(id, (perId.get(id) ?? 0) + 1);
    }
    const duplicates = [...perId.values()].reduce((sum, n) => sum + (n - 1), 0);
    const sentBy = (instance: string) => receiver.received.filter((r) => r.headers['x-instance'] === instance).length;
    console.info(
      `[two-instances] events ${EVENTS}, requests ${receiver.received.length} (a ${sentBy('a')}, b ${sentBy('b')}), duplicates ${duplicates}, produced in ${producedAt} ms, all delivered at ${deliveredAt} ms`,
    );
    expect(perId.size).toBe(EVENTS);
    expect(duplicates).toBe(0);
    expect(receiver.received).toHaveLength(EVENTS);
    // Both processes did part of the work.
    expect(sentBy('a')).toBeGreaterThan(0);
    expect(sentBy('b')).toBeGreaterThan(0);
  });
});
