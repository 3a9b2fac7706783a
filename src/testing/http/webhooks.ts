import { describe, expect, it, vi } from 'vitest';
import { signWebhook } from '../../core/lib/webhook-signature.js';
import type { WebhookSender, WebhookSendResult } from '../../core/ports.js';
import {
  bearer,
  BEARER_REQUIRED,
  expectError,
  type HttpSuiteContext,
  INVALID_BODY,
  loginAccount,
  PASSWORD,
  signedIn,
} from './setup.js';
import { webhookEventTests } from './webhooks-events.js';
import { adminGroup, createEndpoint, hookUrl, NO_ENDPOINT } from './webhooks-helpers.js';

const FORBIDDEN = 'This needs the admin role in this group.';

/** What a test double of the network boundary records: the request, as the dispatcher made it. */
interface SentRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A sender that accepts every URL and answers 200 without a network: real HTTP delivery is tested elsewhere. */
function recordingSender(): WebhookSender & { sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  return {
    sent,
    check: () => ({ ok: true }),
    send: async (request): Promise<WebhookSendResult> => {
      sent.push(request);
      return { delivered: true, status: 200, error: null, durationMs: 1, retryAfterSeconds: null, gone: false, excerpt: 'ok' };
    },
  };
}

/** Each signature of a `webhook-signature` header checks against one of `secrets`, in order. */
function expectSignedBy(request: SentRequest, secrets: string[]): void {
  const id = request.headers['webhook-id']!;
  const timestamp = Number(request.headers['webhook-timestamp']);
  const expected = secrets.map((secret) => signWebhook({ id, timestamp, body: request.body, secrets: [secret] })).join(' ');
  expect(request.headers['webhook-signature']).toBe(expected);
}

/** `/webhooks` and `GET /events` (api.md, "Webhook endpoints and the event feed"): admins of the group only. */
export function describeWebhooks(ctx: HttpSuiteContext): void {
  describe('webhook endpoints and the event feed', () => {
    it('creates, lists, reads, updates and deletes an endpoint, showing its secret only once', async () => {
      const h = await ctx.start({ groups: true });
      const { p, auth, admin } = await adminGroup(h);
      const url = hookUrl();
      h.clock.advance(1);
      const now = h.clock.now().toISOString();
      const created = await h.request('POST', `${p}/webhooks`, { ...auth, body: { url, events: ['account.created'], description: ' CRM sync ' } });
      expect(created.status, created.text).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      const { secret, ...endpoint } = created.body;
      expect(endpoint).toStrictEqual({
        id: expect.stringMatching(/^whe_[0-9A-Z]{26}$/),
        url,
        events: ['account.created'],
        description: 'CRM sync',
        createdAt: now,
        updatedAt: now,
        disabledAt: null,
        disabledReason: null,
      });
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

      const list = await h.request('GET', `${p}/webhooks`, auth);
      expect(list.status, list.text).toBe(200);
      expect(list.body).toStrictEqual({ data: [endpoint], nextCursor: null });
      const one = await h.request('GET', `${p}/webhooks/${endpoint.id}`, auth);
      expect(one.status, one.text).toBe(200);
      expect(one.body).toStrictEqual(endpoint);
      for (const res of [list, one]) expect(res.text).not.toContain(secret.slice('whsec_'.length));

      h.clock.advance(1);
      const disabled = await h.request('PATCH', `${p}/webhooks/${endpoint.id}`, { ...auth, body: { disabled: true, description: null } });
      expect(disabled.status, disabled.text).toBe(200);
      const later = h.clock.now().toISOString();
      expect(disabled.body).toStrictEqual({ ...endpoint, description: null, updatedAt: later, disabledAt: later, disabledReason: 'admin' });
      h.clock.advance(1);
      const url2 = hookUrl();
      const enabled = await h.request('PATCH', `${p}/webhooks/${endpoint.id}`, { ...auth, body: { disabled: false, events: null, url: url2 } });
      expect(enabled.status, enabled.text).toBe(200);
      expect(enabled.body).toMatchObject({ url: url2, events: null, disabledAt: null, disabledReason: null });
      expect(enabled.text).not.toContain(secret.slice('whsec_'.length));
      expect((await h.request('GET', `${p}/webhooks/${endpoint.id}`, auth)).body).toStrictEqual(enabled.body);

      h.clock.advance(1);
      const deleted = await h.request('DELETE', `${p}/webhooks/${endpoint.id}`, auth);
      expect({ status: deleted.status, text: deleted.text }).toEqual({ status: 204, text: '' });
      expectError(await h.request('GET', `${p}/webhooks/${endpoint.id}`, auth), 404, 'not_found', NO_ENDPOINT);
      expectError(await h.request('DELETE', `${p}/webhooks/${endpoint.id}`, auth), 404, 'not_found', NO_ENDPOINT);
      expect((await h.request('GET', `${p}/webhooks`, auth)).body).toStrictEqual({ data: [], nextCursor: null });

      const audit = await h.request('GET', `${p}/audit`, auth);
      const target = { type: 'webhook', id: endpoint.id };
      expect(audit.body.data.slice(0, 4)).toMatchObject([
        { action: 'webhook.delete', target, actor: { id: admin.account.id } },
        { action: 'webhook.update', target, details: { changed: ['url', 'events', 'disabledAt', 'disabledReason'] } },
        { action: 'webhook.update', target, details: { changed: ['description', 'disabledAt', 'disabledReason'] } },
        { action: 'webhook.create', target, details: { events: ['account.created'] } },
      ]);
      expect(audit.text).not.toContain(secret.slice('whsec_'.length));
    });

    it('rotates the secret: a new one, shown once; the old one keeps signing beside it', async () => {
      const sender = recordingSender();
      const h = await ctx.start({ groups: true, auth: { webhookSender: sender } });
      const { p, auth, admin } = await adminGroup(h);
      const url = hookUrl('rotate');
      const endpoint = await createEndpoint(h, p, auth, { url, events: ['account.locked'] });
      const rotated = await h.request('POST', `${p}/webhooks/${endpoint.id}/secret`, auth);
      expect(rotated.status, rotated.text).toBe(200);
      expect(rotated.body).toStrictEqual({ secret: expect.stringMatching(/^whsec_/) });
      expect(rotated.body.secret).not.toBe(endpoint.secret);
      const shown = await h.request('GET', `${p}/webhooks/${endpoint.id}`, auth);
      expect(shown.text).not.toContain(rotated.body.secret.slice('whsec_'.length));
      expectError(await h.request('POST', `${p}/webhooks/whe_unknown/secret`, auth), 404, 'not_found', NO_ENDPOINT);

      // Sent by a dispatcher this test starts and stops: both secrets sign, the new one first.
      const dispatcher = h.auth.startWebhookDispatcher();
      try {
        const test = await h.request('POST', `${p}/webhooks/${endpoint.id}/test`, auth);
        expect(test.status, test.text).toBe(202);
        await vi.waitFor(() => expect(sender.sent.filter((r) => r.url === url)).toHaveLength(1), { timeout: 5000 });
        const [request] = sender.sent.filter((r) => r.url === url);
        expectSignedBy(request!, [rotated.body.secret, endpoint.secret]);
        expect(JSON.parse(request!.body)).toMatchObject({ event: 'webhook.test', data: { endpointId: endpoint.id } });
        await vi.waitFor(async () => {
          const log = await h.request('GET', `${p}/webhooks/${endpoint.id}/deliveries`, auth);
          expect(log.body.data).toMatchObject([{ id: test.body.id, status: 'delivered', attempts: 1, lastResponseStatus: 200, lastError: null, nextAttemptAt: null }]);
        });
        // A day later only the new secret signs.
        h.clock.advance(24 * 3600 + 1);
        const fresh = { headers: bearer((await loginAccount(h, admin.email, PASSWORD, p)).accessToken) };
        expect((await h.request('POST', `${p}/webhooks/${endpoint.id}/test`, fresh)).status).toBe(202);
        await vi.waitFor(() => expect(sender.sent.filter((r) => r.url === url)).toHaveLength(2), { timeout: 5000 });
        expectSignedBy(sender.sent.filter((r) => r.url === url)[1]!, [rotated.body.secret]);
      } finally {
        await dispatcher.stop();
      }
    });

    it('refuses bad input with the field at fault, and a 21st endpoint', async () => {
      const h = await ctx.start({ groups: true });
      const { p, auth } = await adminGroup(h);
      const post = (body: unknown) => h.request('POST', `${p}/webhooks`, { ...auth, body });
      const refused = (res: Awaited<ReturnType<typeof post>>) => {
        expect(res.body.error.details).toStrictEqual([{ path: 'url', message: expect.stringMatching(/^is refused: .+/) }]);
        expect(res.status).toBe(400);
      };
      refused(await post({ url: 'http://127.0.0.1:8080/hook' }));
      refused(await post({ url: 'http://169.254.169.254/latest/meta-data' }));
      refused(await post({ url: 'ftp://hooks.example.com/' }));
      refused(await post({ url: 'not a url' }));
      expectError(await post({ url: hookUrl(), events: ['account.created', 'account.nope'] }), 400, 'validation_failed', INVALID_BODY, [
        { path: 'events.1', message: 'is not an event latchkey emits' },
      ]);
      expectError(await post({ url: hookUrl(), events: ['webhook.test'] }), 400, 'validation_failed', INVALID_BODY, [
        { path: 'events.0', message: 'is not an event latchkey emits' },
      ]);
      expectError(await post({ url: hookUrl(), events: [] }), 400, 'validation_failed', INVALID_BODY, [
        { path: 'events', message: 'must name at least one event (null for every event)' },
      ]);
      expectError(await post({ url: hookUrl(), secret: 'whsec_mine' }), 400, 'validation_failed', INVALID_BODY, [
        { path: 'secret', message: 'is not a known field' },
      ]);
      expectError(await post({ events: null }), 400, 'validation_failed', INVALID_BODY, [{ path: 'url', message: 'is required' }]);
      expect((await post({ url: hookUrl(), description: 'x'.repeat(501) })).status).toBe(400);
      expect((await h.request('GET', `${p}/webhooks`, auth)).body.data).toStrictEqual([]);

      const endpoint = await createEndpoint(h, p, auth, { url: hookUrl(), events: ['account.created', 'account.created'] });
      expect(endpoint.events).toStrictEqual(['account.created']);
      const patch = (body: unknown) => h.request('PATCH', `${p}/webhooks/${endpoint.id}`, { ...auth, body });
      refused(await patch({ url: 'http://localhost/hook' }));
      expectError(await patch({ secret: 'x' }), 400, 'validation_failed', INVALID_BODY, [{ path: 'secret', message: 'is not a known field' }]);
      expect((await patch({ disabled: 'yes' })).status).toBe(400);
      expectError(await h.request('PATCH', `${p}/webhooks/whe_unknown`, { ...auth, body: { disabled: true } }), 404, 'not_found', NO_ENDPOINT);

      const deliveries = (query: string) => h.request('GET', `${p}/webhooks/${endpoint.id}/deliveries?${query}`, auth);
      for (const query of ['status=sent', 'limit=0', 'limit=101', 'cursor=garbage', 'colour=red']) expect((await deliveries(query)).status, query).toBe(400);
      for (const query of ['after=garbage', 'limit=0', 'limit=101', 'event=account.nope', 'event=webhook.test', 'colour=red']) {
        expect((await h.request('GET', `${p}/events?${query}`, auth)).status, query).toBe(400);
      }

      for (let i = 1; i < 20; i++) await createEndpoint(h, p, auth, { url: hookUrl() });
      expectError(await post({ url: hookUrl() }), 409, 'conflict', 'A group can have at most 20 webhook endpoints.');
      const page = await h.request('GET', `${p}/webhooks?limit=15`, auth);
      expect(page.body.data).toHaveLength(15);
      const rest = await h.request('GET', `${p}/webhooks?limit=15&cursor=${encodeURIComponent(page.body.nextCursor)}`, auth);
      expect(rest.body).toMatchObject({ nextCursor: null });
      expect(new Set([...page.body.data, ...rest.body.data].map((e: { id: string }) => e.id)).size).toBe(20);
    });

    it('refuses every route to a non-admin (403) and to no token (401), touching nothing', async () => {
      const h = await ctx.start({ groups: true });
      const { p, auth } = await adminGroup(h);
      const endpoint = await createEndpoint(h, p, auth, { url: hookUrl() });
      const user = await signedIn(h, p);
      const delivery = (await h.request('POST', `${p}/webhooks/${endpoint.id}/test`, auth)).body;
      const routes: [string, string, unknown?][] = [
        ['POST', '/webhooks', { url: hookUrl() }],
        ['GET', '/webhooks'],
        ['GET', `/webhooks/${endpoint.id}`],
        ['PATCH', `/webhooks/${endpoint.id}`, { disabled: true }],
        ['DELETE', `/webhooks/${endpoint.id}`],
        ['POST', `/webhooks/${endpoint.id}/secret`],
        ['GET', `/webhooks/${endpoint.id}/deliveries`],
        ['POST', `/webhooks/${endpoint.id}/deliveries/${delivery.id}/retry`],
        ['POST', `/webhooks/${endpoint.id}/test`],
        ['GET', '/events'],
      ];
      for (const [method, path, body] of routes) {
        const init = body === undefined ? {} : { body };
        expectError(await h.request(method, `${p}${path}`, { ...init, headers: bearer(user.tokens.accessToken) }), 403, 'forbidden', FORBIDDEN);
        expectError(await h.request(method, `${p}${path}`, init), 401, 'unauthenticated', BEARER_REQUIRED);
      }
      const { secret: _secret, ...shown } = endpoint;
      expect((await h.request('GET', `${p}/webhooks`, auth)).body.data).toStrictEqual([shown]);
      // The endpoint receives every event, the user's sign-up and login included; one test only, not retried.
      const log = await h.request('GET', `${p}/webhooks/${endpoint.id}/deliveries?limit=100`, auth);
      expect(log.body.data.filter((d: { event: string }) => d.event === 'webhook.test')).toStrictEqual([delivery]);
    });

    it("shows an admin of one group none of another group's endpoints, deliveries or events", async () => {
      const h = await ctx.start({ groups: true });
      const a = await adminGroup(h, 'acme');
      const b = await adminGroup(h, 'globex');
      const endpoint = await createEndpoint(h, a.p, a.auth, { url: hookUrl() });
      await signedIn(h, a.p);
      const log = (await h.request('GET', `${a.p}/webhooks/${endpoint.id}/deliveries`, a.auth)).body.data;
      expect(log.map((d: { event: string }) => d.event).sort()).toStrictEqual(['account.created', 'account.logged-in']);
      const delivery = log[0];

      expect((await h.request('GET', `${b.p}/webhooks`, b.auth)).body).toStrictEqual({ data: [], nextCursor: null });
      for (const [method, path, body] of [
        ['GET', `/webhooks/${endpoint.id}`],
        ['PATCH', `/webhooks/${endpoint.id}`, { disabled: true }],
        ['DELETE', `/webhooks/${endpoint.id}`],
        ['POST', `/webhooks/${endpoint.id}/secret`],
        ['GET', `/webhooks/${endpoint.id}/deliveries`],
        ['POST', `/webhooks/${endpoint.id}/deliveries/${delivery.id}/retry`],
        ['POST', `/webhooks/${endpoint.id}/test`],
      ] as [string, string, unknown?][]) {
        expectError(await h.request(method, `${b.p}${path}`, { ...b.auth, ...(body ? { body } : {}) }), 404, 'not_found', NO_ENDPOINT);
      }
      const events = await h.request('GET', `${b.p}/events`, b.auth);
      expect(events.status, events.text).toBe(200);
      expect(events.body.data.length).toBeGreaterThan(0);
      expect(events.body.data.every((e: { group: string }) => e.group === b.group)).toBe(true);
      // A's token is no token in the other group.
      expect((await h.request('GET', `${b.p}/webhooks`, a.auth)).status).toBe(401);
      expect((await h.request('GET', `${b.p}/events`, a.auth)).status).toBe(401);
      // Untouched.
      expect((await h.request('GET', `${a.p}/webhooks/${endpoint.id}`, a.auth)).body.disabledAt).toBeNull();
    });

    webhookEventTests(ctx);
  });
}
