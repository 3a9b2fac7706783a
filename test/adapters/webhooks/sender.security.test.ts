import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookSender, type ResolvedAddress } from '../../../src/adapters/webhooks/sender.js';
import { answer, type Receiver, startReceiver } from './receiver.js';

const receivers: Receiver[] = [];
async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const request = (url: string) => ({ url, headers: { 'content-type': 'application/json' }, body: '{}' });

/** A lookup that answers from a list and counts its calls; the nth call gets `answers[n]` (or the last). */
function scriptedLookup(...answers: ResolvedAddress[][]) {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    return answers[Math.min(calls.length - 1, answers.length - 1)]!;
  };
  return { lookup, calls };
}
const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });

describe('createWebhookSender: server-side request forgery', () => {
  it('refuses loopback, metadata, IPv6 loopback and localhost URLs without connecting', async () => {
    const hook = await receiver(answer(200));
    const { lookup, calls } = scriptedLookup([v4('127.0.0.1')]);
    const sender = createWebhookSender({ lookup });
    for (const url of [
      `http://127.0.0.1:${hook.port}/`,
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      `http://[::ffff:127.0.0.1]:${hook.port}/`,
      `http://localhost:${hook.port}/`,
      'http://api.localhost/',
      `http://2130706433:${hook.port}/`, // 127.0.0.1 as one number
    ]) {
      const result = await sender.send(request(url));
      expect(result, url).toMatchObject({ delivered: false, status: null, gone: false, excerpt: null });
      expect(result.error, url).toMatch(/loopback|metadata|localhost/);
    }
    expect(calls).toEqual([]);
    expect(hook.received).toEqual([]);
  });

  it('refuses a hostname that resolves to a private address', async () => {
    const { lookup, calls } = scriptedLookup([v4('10.0.0.1')]);
    const result = await createWebhookSender({ lookup }).send(request('http://hooks.example.test/'));
    expect(result).toMatchObject({ delivered: false, status: null, error: 'the host resolves to a forbidden address' });
    expect(calls).toEqual(['hooks.example.test']);
  });

  it('refuses a hostname when any one of its addresses is private, whatever the order', async () => {
    for (const addresses of [
      [v4('93.184.215.14'), v4('10.0.0.1')],
      [v4('10.0.0.1'), v4('93.184.215.14')],
      [v4('93.184.215.14'), { address: '::ffff:a9fe:a9fe', family: 6 } as const], // mapped 169.254.169.254
    ]) {
      const { lookup } = scriptedLookup(addresses);
      const result = await createWebhookSender({ lookup }).send(request('https://hooks.example.test/'));
      expect(result.error).toBe('the host resolves to a forbidden address');
    }
  });

  it('a hostname named in the allow-list may resolve to a private address', async () => {
    const hook = await receiver(answer(200));
    const { lookup } = scriptedLookup([v4('127.0.0.1')]);
    const sender = createWebhookSender({ lookup, allow: ['hooks.internal'] });
    expect(await sender.send(request(`http://hooks.internal:${hook.port}/`))).toMatchObject({ delivered: true });
    expect((await sender.send(request(`http://other.internal:${hook.port}/`))).error).toBe('the host resolves to a forbidden address');
  });

  it('requires https in production', async () => {
    const hook = await receiver(answer(200));
    const result = await createWebhookSender({ production: true, allow: ['127.0.0.1'] }).send(request(hook.origin));
    expect(result).toMatchObject({ delivered: false, error: 'https is required in production' });
    expect(hook.received).toEqual([]);
  });

  it('does not follow a redirect, not even to an allowed address', async () => {
    const internal = await receiver(answer(200, 'internal secrets'));
    const hook = await receiver(answer(302, '', { location: `${internal.origin}/admin` }));
    const result = await createWebhookSender({ allow: ['127.0.0.1'] }).send(request(hook.origin));
    expect(result).toMatchObject({ delivered: false, status: 302, error: 'redirect not followed' });
    expect(hook.received).toHaveLength(1);
    expect(internal.received).toEqual([]);
  });

  it('DNS rebinding: resolves once per send and connects to the address it checked', async () => {
    // 127.0.0.1 stands in for the public address the attacker's name first resolves to (it is allowed);
    // 127.0.0.2, on the same port, for the internal service it resolves to on any later lookup.
    const publicLooking = await receiver(answer(200, 'public'));
    const internal = await receiver(answer(200, 'internal'), { host: '127.0.0.2', port: publicLooking.port });
    const { lookup, calls } = scriptedLookup([v4('127.0.0.1')], [v4('127.0.0.2')]);
    const sender = createWebhookSender({ lookup, allow: ['127.0.0.1'] });
    const url = `http://rebind.example.test:${publicLooking.port}/hook`;

    const first = await sender.send(request(url));
    expect(first).toMatchObject({ delivered: true, excerpt: 'public' });
    expect(calls).toHaveLength(1);
    expect(publicLooking.received).toHaveLength(1);
    expect(publicLooking.received[0]!.headers.host).toBe(`rebind.example.test:${publicLooking.port}`);
    expect(internal.received).toEqual([]);

    // The next send resolves anew, sees the internal address, and refuses before connecting.
    const second = await sender.send(request(url));
    expect(second).toMatchObject({ delivered: false, error: 'the host resolves to a forbidden address' });
    expect(calls).toHaveLength(2);
    expect(internal.received).toEqual([]);
  });
});

describe('createWebhookSender: TLS to a pinned address', () => {
  const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  const cert = fixture('hooks.example.test.crt');
  const key = fixture('hooks.example.test.key');

  it('sends SNI and checks the certificate against the hostname, not the address', async () => {
    const hook = await receiver(answer(200, 'ok'), { tls: { cert, key } });
    const { lookup } = scriptedLookup([v4('127.0.0.1')]);
    const sender = createWebhookSender({ production: true, allow: ['127.0.0.1'], lookup, ca: cert });

    const result = await sender.send(request(`https://hooks.example.test:${hook.port}/hook`));
    expect(result).toMatchObject({ delivered: true, status: 200, excerpt: 'ok' });
    expect(hook.received[0]!.servername).toBe('hooks.example.test');
    expect(hook.received[0]!.headers.host).toBe(`hooks.example.test:${hook.port}`);

    // Same address, another name: the certificate does not match it.
    const other = await sender.send(request(`https://other.example.test:${hook.port}/hook`));
    expect(other).toMatchObject({ delivered: false, status: null, error: 'TLS error (ERR_TLS_CERT_ALTNAME_INVALID)' });
    // And without the private CA, the certificate is not trusted at all.
    const untrusted = await createWebhookSender({ allow: ['127.0.0.1'], lookup }).send(request(`https://hooks.example.test:${hook.port}/`));
    expect(untrusted.error).toMatch(/^TLS error \(/);
    expect(hook.received).toHaveLength(1);
  });
});
