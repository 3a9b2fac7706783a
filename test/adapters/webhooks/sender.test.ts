import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookSender, type WebhookHttpSender as WebhookSender } from '../../../src/adapters/webhooks/sender.js';
import type { WebhookSender as WebhookSenderPort } from '../../../src/core/ports.js';
import { generateWebhookSecret, webhookHeaders } from '../../../src/core/lib/webhook-signature.js';
import { answer, type Receiver, startReceiver } from './receiver.js';

// The receivers listen on 127.0.0.1, which only the allow-list lets the sender reach.
const local = (options: Parameters<typeof createWebhookSender>[0] = {}): WebhookSender =>
  createWebhookSender({ allow: ['127.0.0.1'], ...options });

const receivers: Receiver[] = [];
async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const body = JSON.stringify({ id: 'evt_01', event: 'account.created', group: 'default', data: { account: { id: 'acc_1' } } });
const unsigned = { 'content-type': 'application/json' };

describe('createWebhookSender: delivery', () => {
  it('POSTs the body and exactly the given headers; a 2xx is delivered', async () => {
    const hook = await receiver(answer(204));
    const secret = generateWebhookSecret();
    const headers = webhookHeaders({ id: 'evt_01', timestamp: Math.floor(Date.now() / 1000), body, secrets: [secret] });
    const result = await local().send({ url: `${hook.origin}/hooks/latchkey?tenant=a`, headers: { ...headers }, body });

    expect(result).toMatchObject({ delivered: true, status: 204, error: null, gone: false, retryAfterSeconds: null, excerpt: '' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(hook.received).toHaveLength(1);
    const [got] = hook.received;
    expect(got!.method).toBe('POST');
    expect(got!.path).toBe('/hooks/latchkey?tenant=a');
    expect(got!.body).toBe(body);
    expect(got!.headers).toMatchObject({
      ...headers,
      host: `127.0.0.1:${hook.port}`,
      'content-length': String(Buffer.byteLength(body)),
    });
    expect(new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>)).toEqual(JSON.parse(body));
  });

  it('a 500 is not delivered and keeps the status and an excerpt of the body', async () => {
    const hook = await receiver(answer(500, 'database is down'));
    const result = await local().send({ url: hook.origin, headers: unsigned, body });
    expect(result).toMatchObject({ delivered: false, status: 500, error: 'HTTP 500', gone: false, excerpt: 'database is down' });
  });

  it('a 410 marks the endpoint gone', async () => {
    const hook = await receiver(answer(410));
    expect(await local().send({ url: hook.origin, headers: unsigned, body })).toMatchObject({ delivered: false, status: 410, gone: true });
  });

  it("reads a 429's or 503's Retry-After, in seconds or as an HTTP date", async () => {
    const seconds = await receiver(answer(429, 'slow down', { 'retry-after': '7' }));
    expect(await local().send({ url: seconds.origin, headers: unsigned, body })).toMatchObject({ delivered: false, status: 429, retryAfterSeconds: 7 });

    const now = new Date('2030-01-01T00:00:00Z');
    const date = await receiver(answer(503, '', { 'retry-after': new Date(now.getTime() + 120_000).toUTCString() }));
    const clock = { now: () => now };
    expect(await local({ clock }).send({ url: date.origin, headers: unsigned, body })).toMatchObject({ status: 503, retryAfterSeconds: 120 });

    const none = await receiver(answer(429));
    expect((await local().send({ url: none.origin, headers: unsigned, body })).retryAfterSeconds).toBeNull();
    const other = await receiver(answer(500, '', { 'retry-after': '7' }));
    expect((await local().send({ url: other.origin, headers: unsigned, body })).retryAfterSeconds).toBeNull();
  });

  it('reads at most maxResponseBytes of the body, then closes the connection', async () => {
    let serverSawClose = false;
    const hook = await receiver((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      // An endless body: only a sender that stops reading can finish before its timeout.
      const pump = () => {
        while (!response.destroyed && response.write('x'.repeat(16_384)));
        if (!response.destroyed) response.once('drain', pump);
      };
      response.on('close', () => (serverSawClose = true));
      pump();
    });
    const result = await local({ maxResponseBytes: 1000, timeoutMs: 5000 }).send({ url: hook.origin, headers: unsigned, body });
    expect(result).toMatchObject({ delivered: true, status: 200, error: null, bytesRead: 1000, truncated: true });
    expect(result.excerpt).toBe('x'.repeat(256));
    expect(result.durationMs).toBeLessThan(5000);
    await expect.poll(() => serverSawClose).toBe(true);
  });

  it('a server that does not answer in time fails with a timeout', async () => {
    const hook = await receiver(() => {}); // never answers
    const result = await local({ timeoutMs: 200 }).send({ url: hook.origin, headers: unsigned, body });
    expect(result).toMatchObject({ delivered: false, status: null, error: 'timed out after 200 ms', excerpt: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(190);
    expect(result.durationMs).toBeLessThan(2000);
  });

  it('a 2xx whose body stalls is delivered, with what was read by the deadline', async () => {
    const hook = await receiver((_request, response) => {
      response.writeHead(200);
      response.write('accepted, and then…');
    });
    const result = await local({ timeoutMs: 200 }).send({ url: hook.origin, headers: unsigned, body });
    expect(result).toMatchObject({ delivered: true, status: 200, error: null, excerpt: 'accepted, and then…', truncated: true });
  });

  it('never throws: a refused connection, a failed lookup and a bad URL are results, free of the URL', async () => {
    const closed = await startReceiver(answer(200));
    await closed.close();
    const refused = await local().send({ url: `${closed.origin}/?token=s3cret`, headers: unsigned, body });
    expect(refused).toMatchObject({ delivered: false, status: null, error: 'connection refused' });
    expect(JSON.stringify(refused)).not.toContain('s3cret');

    const lookup = async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND hooks.example.test'), { code: 'ENOTFOUND' }));
    expect(await local({ lookup }).send({ url: 'http://hooks.example.test/', headers: unsigned, body })).toMatchObject({ error: 'host not found' });
    expect(await local({ lookup: async () => [] }).send({ url: 'http://hooks.example.test/', headers: unsigned, body })).toMatchObject({
      error: 'host not found',
    });
    expect(await local().send({ url: 'not a url', headers: unsigned, body })).toMatchObject({ delivered: false, error: 'not a valid URL' });
  });

  it('refuses a timeout above 15 s and a negative body limit', () => {
    expect(() => createWebhookSender({ timeoutMs: 15_001 })).toThrow(TypeError);
    expect(() => createWebhookSender({ timeoutMs: 0 })).toThrow(TypeError);
    expect(() => createWebhookSender({ maxResponseBytes: -1 })).toThrow(TypeError);
  });

  it("implements the core's WebhookSender port", () => {
    const sender: WebhookSenderPort = createWebhookSender();
    expect(sender.check('http://169.254.169.254/')).toMatchObject({ ok: false });
  });
});
