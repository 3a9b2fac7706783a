import { describe, expect, it } from 'vitest';
import { createTestAuth, PASSWORD } from '../helpers.js';

const DAY = 24 * 3600;

describe('outbox retention (webhooks.retention, applied by purgeDeletedAccounts)', () => {
  it('removes events older than 30 days, never one with a delivery still pending', async () => {
    const t = createTestAuth({ webhookSender: { check: () => ({ ok: true }), send: async () => expect.unreachable() } });
    await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    const endpoint = await t.auth.createWebhookEndpoint({ url: 'https://hooks.example.com/in', events: ['account.created'] });
    await t.auth.register({ email: 'bob@example.com', password: PASSWORD }); // pending for the endpoint: no dispatcher runs
    expect((await t.auth.listEvents({})).data.map((e) => e.event)).toEqual(['account.created', 'account.created']);

    t.clock.advance(30 * DAY);
    expect((await t.auth.purgeDeletedAccounts()).eventsRemoved).toBe(0);
    t.clock.advance(1);
    expect((await t.auth.purgeDeletedAccounts()).eventsRemoved).toBe(1);
    const kept = (await t.auth.listEvents({})).data;
    expect(kept.map((e) => (e.data as { account: { email: { address: string } } }).account.email.address)).toEqual(['bob@example.com']);
    expect((await t.auth.listWebhookDeliveries({ endpointId: endpoint.id })).data.map((d) => d.status)).toEqual(['pending']);
  });
});
