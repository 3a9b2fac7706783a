import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createWebhookSender } from '../../../src/adapters/index.js';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import { sqliteTestDatabase, type TestDatabase } from '../../support/services.js';
import { startReceiver, type Receiver } from '../../adapters/webhooks/receiver.js';
import { createTestAuth, manualClock, PASSWORD, type TestAuth } from '../helpers.js';

/** Waits until `done()` holds (the dispatcher works on timers), or fails after `ms`. */
async function until(done: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('webhook delivery: outbox to a real receiver, verified with standardwebhooks', () => {
  let database: TestDatabase;
  let t: TestAuth;
  let receiver: Receiver;
  /** What the receiver answers, in turn; 200 once the list is spent. */
  let statuses: number[];
  let stop: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    database = await sqliteTestDatabase();
    await migrate(database.db);
    statuses = [];
    receiver = await startReceiver((_request, response) => {
      response.writeHead(statuses.shift() ?? 200);
      response.end('ok');
    });
    t = createTestAuth({
      storage: kyselyStorage(database.db),
      webhookSender: createWebhookSender({ production: false, allow: ['127.0.0.1'] }),
      webhooks: { pollInterval: 50 },
      // Receivers refuse timestamps more than 5 minutes off their own clock: start at the real time.
      clock: manualClock(new Date()),
    });
  });

  afterEach(async () => {
    await stop?.();
    stop = undefined;
    await receiver.close();
    await database.destroy();
  });

  const subscribe = (events?: string[]) => t.auth.createWebhookEndpoint({ url: `${receiver.origin}/hooks`, ...(events ? { events } : {}) });

  it('delivers every event in sequence order, signed so that standardwebhooks verifies it', async () => {
    const { secret } = await subscribe();
    stop = t.auth.startWebhookDispatcher().stop;
    await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    await t.auth.login({ email: 'ada@example.com', password: PASSWORD });
    await t.auth.login({ email: 'ada@example.com', password: 'wrong password!' }).catch(() => undefined);
    await until(() => receiver.received.length >= 3);

    const verifier = new Webhook(secret);
    const events = receiver.received.map((request) => verifier.verify(request.body, request.headers as Record<string, string>) as { event: string; sequence: number; id: string });
    expect(events.map((e) => e.event)).toEqual(['account.created', 'account.logged-in', 'account.login-failed']);
    const sequences = events.map((e) => e.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual(events.map((e) => e.id));
    // The same events, in the same order, for receivers that catch up without webhooks.
    const feed = await t.auth.listEvents({});
    expect(feed.data.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('tries again after a 500 at the scheduled time, with the same webhook-id, then marks it delivered', async () => {
    const endpoint = await subscribe(['account.created']);
    statuses = [500, 500];
    stop = t.auth.startWebhookDispatcher().stop;
    await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    await until(() => receiver.received.length === 1);
    // Not before its time: 5 s (±10 %) on the instance's clock.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(1);
    t.clock.advance(6);
    await until(() => receiver.received.length === 2);
    t.clock.advance(6);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(2); // the third try waits 5 minutes
    t.clock.advance(330);
    await until(() => receiver.received.length === 3);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);

    await until(() => false, 100).catch(() => undefined);
    const [delivery] = (await t.auth.listWebhookDeliveries({ endpointId: endpoint.id })).data;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastResponseStatus: 200 });
  });

  it('disables the endpoint when the receiver answers 410 Gone', async () => {
    const endpoint = await subscribe();
    statuses = [410];
    stop = t.auth.startWebhookDispatcher().stop;
    await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    await until(() => receiver.received.length === 1);
    await until(() => false, 200).catch(() => undefined);
    expect((await t.auth.getWebhookEndpoint({ endpointId: endpoint.id })).disabledAt).not.toBeNull();
    await t.auth.register({ email: 'bob@example.com', password: PASSWORD });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(1);
  });

  it('signs with both secrets while a rotation overlaps: either one verifies', async () => {
    const endpoint = await subscribe(['account.created']);
    const { secret: rotated } = await t.auth.rotateWebhookSecret({ endpointId: endpoint.id });
    stop = t.auth.startWebhookDispatcher().stop;
    await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    await until(() => receiver.received.length === 1);
    const [request] = receiver.received;
    expect(String(request!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated]) {
      expect(() => new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>)).not.toThrow();
    }
  });
});
