/** The webhook tests of `GET /events` and of the delivery log, with its test and retry routes. */

import { expect, it } from 'vitest';
import { bearer, expectError, type HttpSuiteContext, registerAccount, signedIn } from './setup.js';
import { adminGroup, createEndpoint, hookUrl, NO_ENDPOINT } from './webhooks-helpers.js';

const NO_DELIVERY = 'No such webhook delivery.';

/** Registers the event feed and delivery tests, inside the describe block of `describeWebhooks`. */
export function webhookEventTests(ctx: HttpSuiteContext): void {
  it('lists the group’s events in sequence order, page by page, by name, as webhooks deliver them', async () => {
    const h = await ctx.start({ groups: true });
    const { group, p, auth, admin } = await adminGroup(h);
    const user = await signedIn(h, p);
    const feed = await h.request('GET', `${p}/events`, auth);
    expect(feed.status, feed.text).toBe(200);
    const events = feed.body.data as Array<Record<string, any>>;
    // The admin's sign-up, role grant (with its account update) and login, then the user's sign-up and login.
    const names = events.map((e) => e.event);
    expect(names.filter((name) => name === 'account.created' || name === 'account.logged-in')).toStrictEqual([
      'account.created',
      'account.logged-in',
      'account.created',
      'account.logged-in',
    ]);
    expect(names).toContain('account.role-changed');
    const sequences = events.map((e) => e.sequence as number);
    expect(sequences).toStrictEqual([...sequences].sort((x, y) => x - y));
    expect(new Set(sequences).size).toBe(sequences.length);
    const userCreated = names.lastIndexOf('account.created');
    expect(events[userCreated]).toStrictEqual({
      id: expect.stringMatching(/^evt_/),
      event: 'account.created',
      group,
      occurredAt: h.clock.now().toISOString(),
      sequence: sequences[userCreated],
      data: { account: user.account },
    });
    expect(events[names.indexOf('account.logged-in')]).toMatchObject({ data: { account: { id: admin.account.id }, method: 'password' } });
    expect(feed.body.nextCursor).toEqual(expect.any(String));

    // Two by two: the same events; after the last, an empty page and no cursor.
    const paged: unknown[] = [];
    let after: string | null = null;
    for (let i = 0; i < events.length; i++) {
      const page: { status: number; body: { data: unknown[]; nextCursor: string | null } } = await h.request(
        'GET',
        `${p}/events?limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        auth,
      );
      expect(page.status).toBe(200);
      paged.push(...page.body.data);
      if (!page.body.nextCursor) break;
      after = page.body.nextCursor;
    }
    expect(paged).toStrictEqual(events);
    expect((await h.request('GET', `${p}/events?after=${encodeURIComponent(after!)}`, auth)).body).toStrictEqual({ data: [], nextCursor: null });

    // Resuming from a cursor sees what happened since.
    await h.request('POST', `${p}/logout`, { headers: bearer(user.tokens.accessToken) });
    await signedIn(h, p);
    const since = await h.request('GET', `${p}/events?after=${encodeURIComponent(feed.body.nextCursor)}`, auth);
    expect(since.body.data.map((e: { event: string }) => e.event)).toContain('account.created');
    expect(since.body.data[0].sequence).toBeGreaterThan(sequences.at(-1)!);

    const created = await h.request('GET', `${p}/events?event=account.created`, auth);
    expect(created.body.data.map((e: { event: string }) => e.event)).toStrictEqual(['account.created', 'account.created', 'account.created']);
    expect(created.body.data.slice(0, 2)).toStrictEqual([events[0], events[userCreated]]);
    const firstOnly = await h.request('GET', `${p}/events?event=account.created&limit=1`, auth);
    const second = await h.request('GET', `${p}/events?event=account.created&limit=1&after=${encodeURIComponent(firstOnly.body.nextCursor)}`, auth);
    expect([...firstOnly.body.data, ...second.body.data]).toStrictEqual([events[0], events[userCreated]]);
  });

  it('queues a pending delivery for each subscribed endpoint only; tests and retries one endpoint', async () => {
    const h = await ctx.start({ groups: true });
    const { p, auth } = await adminGroup(h);
    const created = await createEndpoint(h, p, auth, { url: hookUrl(), events: ['account.created'] });
    const locked = await createEndpoint(h, p, auth, { url: hookUrl(), events: ['account.locked'] });
    const all = await createEndpoint(h, p, auth, { url: hookUrl() });
    const off = await createEndpoint(h, p, auth, { url: hookUrl(), events: ['account.created'] });
    await h.request('PATCH', `${p}/webhooks/${off.id}`, { ...auth, body: { disabled: true } });
    h.clock.advance(1);
    const user = await registerAccount(h, { prefix: p });
    const log = async (id: string, query = '') => {
      const res = await h.request('GET', `${p}/webhooks/${id}/deliveries${query}`, auth);
      expect(res.status, res.text).toBe(200);
      return res.body as { data: Array<Record<string, any>>; nextCursor: string | null };
    };

    const feed = await h.request('GET', `${p}/events?event=account.created`, auth);
    const event = feed.body.data.find((e: { data: { account: { id: string } } }) => e.data.account.id === user.account.id);
    const pending = {
      id: expect.stringMatching(/^whd_/),
      eventId: event.id,
      event: 'account.created',
      status: 'pending',
      attempts: 0,
      lastAttemptAt: null,
      nextAttemptAt: h.clock.now().toISOString(),
      lastResponseStatus: null,
      lastError: null,
    };
    expect(await log(created.id)).toStrictEqual({ data: [pending], nextCursor: null });
    expect(await log(created.id, '?status=pending')).toStrictEqual({ data: [pending], nextCursor: null });
    expect(await log(created.id, '?status=delivered')).toStrictEqual({ data: [], nextCursor: null });
    expect(await log(locked.id)).toStrictEqual({ data: [], nextCursor: null });
    expect(await log(off.id)).toStrictEqual({ data: [], nextCursor: null });
    expect((await log(all.id)).data).toContainEqual(pending);

    // The test event goes to the endpoint tested, whatever it subscribed to, and to no other; not in the feed.
    const before = (await log(all.id)).data.length;
    const test = await h.request('POST', `${p}/webhooks/${locked.id}/test`, auth);
    expect(test.status, test.text).toBe(202);
    expect(test.body).toStrictEqual({ ...pending, eventId: expect.stringMatching(/^evt_/), event: 'webhook.test' });
    expect((await log(locked.id)).data).toStrictEqual([test.body]);
    expect((await log(all.id)).data).toHaveLength(before);
    expect((await log(created.id)).data).toHaveLength(1);
    const everything = await h.request('GET', `${p}/events?limit=100`, auth);
    expect(everything.body.data.map((e: { event: string }) => e.event)).not.toContain('webhook.test');

    const delivery = (await log(created.id)).data[0]!;
    h.clock.advance(5);
    const retry = await h.request('POST', `${p}/webhooks/${created.id}/deliveries/${delivery.id}/retry`, auth);
    expect(retry.status, retry.text).toBe(202);
    expect(retry.body).toStrictEqual({ ...delivery, status: 'pending', nextAttemptAt: h.clock.now().toISOString() });
    expectError(await h.request('POST', `${p}/webhooks/${created.id}/deliveries/whd_unknown/retry`, auth), 404, 'not_found', NO_DELIVERY);
    // Another endpoint's delivery is no delivery of this one.
    expectError(await h.request('POST', `${p}/webhooks/${locked.id}/deliveries/${delivery.id}/retry`, auth), 404, 'not_found', NO_DELIVERY);
    expectError(await h.request('POST', `${p}/webhooks/whe_unknown/deliveries/${delivery.id}/retry`, auth), 404, 'not_found', NO_ENDPOINT);
    expectError(await h.request('GET', `${p}/webhooks/whe_unknown/deliveries`, auth), 404, 'not_found', NO_ENDPOINT);
    expectError(await h.request('POST', `${p}/webhooks/whe_unknown/test`, auth), 404, 'not_found', NO_ENDPOINT);

    const audit = await h.request('GET', `${p}/audit?limit=2`, auth);
    expect(audit.body.data).toMatchObject([
      { action: 'webhook.retry', target: { type: 'webhook', id: created.id }, details: { deliveryId: delivery.id } },
      { action: 'webhook.test', target: { type: 'webhook', id: locked.id }, details: { deliveryId: test.body.id } },
    ]);
  });
}
