import { describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../../src/core/events/event-names.js';
import { decodeSequenceCursor, encodeSequenceCursor } from '../../../src/core/lib/sequence-cursor.js';
import { endpointReceives, WEBHOOK_TEST_EVENT } from '../../../src/core/lib/webhook-subscription.js';
import type { WebhookSender } from '../../../src/core/ports.js';
import { createTestAuth, expectAuthError } from '../helpers.js';

const url = 'https://hooks.example.com/latchkey';

describe('webhook administration in the core', () => {
  it('stores the secret sealed, and a rotation keeps the previous one for 24 hours', async () => {
    const { auth, storage, clock } = createTestAuth();
    const created = await auth.createWebhookEndpoint({ url });
    const stored = (await storage.webhookEndpoints.find('default', created.id))!;
    expect(stored.secretSealed).not.toContain(created.secret.slice('whsec_'.length));
    expect(stored.previousSecretSealed).toBeNull();

    clock.advance(60);
    const { secret } = await auth.rotateWebhookSecret({ endpointId: created.id });
    expect(secret).not.toBe(created.secret);
    const rotated = (await storage.webhookEndpoints.find('default', created.id))!;
    expect(rotated.previousSecretSealed).toBe(stored.secretSealed);
    expect(rotated.previousSecretExpiresAt).toEqual(new Date(clock.now().getTime() + 24 * 3600 * 1000));
    expect(rotated.secretSealed).not.toBe(stored.secretSealed);
    expect(await auth.getWebhookEndpoint({ endpointId: created.id })).not.toHaveProperty('secret');
  });

  it("refuses a URL the sender refuses, with the sender's reason", async () => {
    const refusing: WebhookSender = {
      check: () => ({ ok: false, reason: 'the host is a private address' }),
      send: async () => ({ delivered: true, status: 200, error: null, durationMs: 0, retryAfterSeconds: null, gone: false, excerpt: null }),
    };
    const { auth } = createTestAuth({ webhookSender: refusing });
    await expect(auth.createWebhookEndpoint({ url })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'url', message: 'is refused: the host is a private address' }],
    });
  });

  it('checks the feed’s limit and cursor, and hands back a cursor to resume from', async () => {
    const { auth } = createTestAuth();
    await expectAuthError(auth.listEvents({ limit: 101 }), 'validation_failed');
    await expectAuthError(auth.listEvents({ limit: 0 }), 'validation_failed');
    await expectAuthError(auth.listEvents({ after: 'garbage!' }), 'validation_failed');
    await auth.register({ email: 'ada@example.com', password: 'correct horse battery staple' });
    const page = await auth.listEvents({ limit: 10 });
    expect(page.data.map((e) => e.event)).toStrictEqual(['account.created']);
    expect(decodeSequenceCursor(page.nextCursor!)).toBe(page.data[0]!.sequence);
    expect(await auth.listEvents({ after: page.nextCursor })).toStrictEqual({ data: [], nextCursor: null });
  });

  it('starts and stops the dispatcher', async () => {
    const { auth } = createTestAuth();
    const dispatcher = auth.startWebhookDispatcher();
    await expect(dispatcher.stop()).resolves.toBeUndefined();
  });
});

describe('the helpers below the webhook operations', () => {
  it('round-trips a sequence cursor and refuses anything else', () => {
    expect(decodeSequenceCursor(encodeSequenceCursor(42))).toBe(42);
    for (const bad of ['', 'eyJzIjotMX0', Buffer.from('{"s":1.5}').toString('base64url'), Buffer.from('[]').toString('base64url'), 'a+b']) {
      expect(() => decodeSequenceCursor(bad), bad).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
  });

  it('fans the test event out to no endpoint, other events to their subscribers', () => {
    expect(endpointReceives(null, 'account.created')).toBe(true);
    expect(endpointReceives(['account.locked'], 'account.created')).toBe(false);
    expect(endpointReceives(null, WEBHOOK_TEST_EVENT)).toBe(false);
    expect(endpointReceives([WEBHOOK_TEST_EVENT], WEBHOOK_TEST_EVENT)).toBe(false);
    expect(EVENT_NAMES).not.toContain(WEBHOOK_TEST_EVENT);
  });
});
