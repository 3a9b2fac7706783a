import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import { startReceiver, type Receiver } from '../../adapters/webhooks/receiver.js';
import { deliveryStatuses, outboxEventIds } from './fixtures/outbox-reads.js';
import { spawnApp, until, type AppProcess } from './fixtures/spawn-app.js';

const EVENTS = 1000;
/** Requests the receiver must have seen before the app is killed. */
const KILL_AFTER = 200;

/**
 * The crash test: the app (a real child process) registers 1,000 accounts while its dispatcher
 * delivers their events to a slow receiver; it is SIGKILLed with deliveries in flight, and a restarted
 * app delivers the rest. Every event arrives at least once, nothing outside the outbox arrives, and a
 * duplicate is the same event under the same webhook-id. The killed process's leases (20 s, the
 * option's minimum) have to run out before its in-flight deliveries are sent again.
 */
describe('webhook delivery survives kill -9 of the app (SQLite file, child processes)', () => {
  let dir: string | undefined;
  let receiver: Receiver | undefined;
  const apps: AppProcess[] = [];

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.kill9();
    await receiver?.close();
    receiver = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('kill -9 mid-delivery of 1,000 events, then a restart: every event delivered at least once, duplicates share the webhook-id', { timeout: 120_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-crash-'));
    const file = join(dir, 'app.db');
    const open = () => {
      const sqlite = new Database(file);
      sqlite.pragma('busy_timeout = 10000');
      return new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
    };
    const setup = open();
    // WAL, as SQLite apps are deployed (a register is ~40 ms with a rollback journal's fsyncs, ~6 ms in WAL);
    // a killed process loses no committed transaction in either mode.
    await sql`pragma journal_mode = wal`.execute(setup);
    await migrate(setup);
    await setup.destroy();

    // While the first app runs: 200–600 ms per answer for the first KILL_AFTER requests, so that a batch
    // is always in flight; after that 8 s (under the sender's 15 s timeout), so that delivery cannot run
    // far ahead of the registrations and the kill lands with a batch in flight. At once after the kill.
    let phase: 'first' | 'restarted' = 'first';
    receiver = await startReceiver((_request, response) => {
      const reply = () => {
        if (!response.destroyed) response.writeHead(200).end('ok');
      };
      if (phase === 'restarted') reply();
      else setTimeout(reply, receiver!.received.length <= KILL_AFTER ? 200 + Math.random() * 400 : 8_000);
    });
    const env = { DB: 'sqlite', SQLITE_FILE: file, HOOK_URL: `${receiver.origin}/hooks`, COUNT: String(EVENTS) };

    const started = Date.now();
    const producer = spawnApp({ ...env, MODE: 'produce', INSTANCE: 'first' });
    apps.push(producer);
    const { secret } = (await producer.waitFor((m) => 'endpoint' in m)) as { endpoint: string; secret: string };
    const endpointId = (producer.messages.find((m) => 'endpoint' in m) as { endpoint: string }).endpoint;
    // All 1,000 events in the outbox first, then the kill once KILL_AFTER requests arrived.
    await producer.waitFor((m) => 'produced' in m, 60_000);
    await until(() => receiver!.received.length >= KILL_AFTER, 30_000, () => `${receiver!.received.length} requests`);
    await producer.kill9();
    const atKill = receiver.received.length;
    const killedAt = Date.now() - started;
    phase = 'restarted';
    expect(atKill).toBeLessThan(EVENTS); // really in the middle

    const db = open();
    try {
      const storage = kyselyStorage(db);
      const eventIds = await outboxEventIds(storage);
      expect(eventIds.length).toBeGreaterThanOrEqual(EVENTS); // account.created of each registration, at least
      const expected = new Set(eventIds);

      const restarted = spawnApp({ ...env, MODE: 'deliver', INSTANCE: 'restarted' });
      apps.push(restarted);
      const receivedIds = () => new Set(receiver!.received.map((r) => String(r.headers['webhook-id'])));
      const missing = () => eventIds.filter((id) => !receivedIds().has(id));
      await until(() => missing().length === 0, 60_000, () => `${missing().length} events never received (restarted app stderr: ${restarted.stderr.join('')})`);
      const allReceivedAt = Date.now() - started;
      // The killed app's in-flight deliveries were received but never recorded: they are pending under its
      // lease until that runs out (20 s after their claim), then sent again. Wait for all to be delivered.
      let statuses: Record<string, number> = {};
      await until(
        async () => (statuses = await deliveryStatuses(storage, endpointId)).delivered === eventIds.length,
        40_000,
        () => `deliveries not all delivered: ${JSON.stringify(statuses)}`,
      );
      const allDeliveredAt = Date.now() - started;
      await restarted.stop();

      // Every request is an event of the outbox, signed, with webhook-id = the event's id.
      const verifier = new Webhook(secret);
      const perId = new Map<string, number>();
      for (const request of receiver.received) {
        const event = verifier.verify(request.body, request.headers as Record<string, string>) as { id: string };
        expect(request.headers['webhook-id']).toBe(event.id);
        expect(expected.has(event.id)).toBe(true);
        perId.set(event.id, (perId.get(event.id) ?? 0) + 1);
      }
      expect(perId.size).toBe(expected.size); // none lost
      const duplicates = [...perId.values()].reduce((sum, n) => sum + (n - 1), 0);
      const sentBy = (instance: string) => receiver!.received.filter((r) => r.headers['x-instance'] === instance).length;
      console.info(
        `[crash] events ${expected.size}, requests ${receiver.received.length} (first app ${sentBy('first')}, restarted ${sentBy('restarted')}), received before the kill ${atKill} (at ${killedAt} ms), all received at ${allReceivedAt} ms, all delivered at ${allDeliveredAt} ms, duplicates ${duplicates}`,
      );
      // Only what the killed app had in flight (at most one batch of 20) can arrive twice, and only once more.
      expect(duplicates).toBeLessThanOrEqual(20);
      expect(Math.max(...perId.values())).toBeLessThanOrEqual(2);
      expect(await deliveryStatuses(storage, endpointId)).toEqual({ delivered: eventIds.length });
    } finally {
      await db.destroy();
    }
  });
});
