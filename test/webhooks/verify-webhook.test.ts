import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { createWebhookSender } from '../../src/adapters/index.js';
import { generateWebhookSecret, webhookHeaders } from '../../src/core/lib/webhook-signature.js';
import type { AccountResource } from '../../src/index.js';
import {
  verifyWebhook,
  WebhookVerificationError,
  type WebhookEvent,
  type WebhookEventOf,
  type WebhookVerificationErrorCode,
} from '../../src/webhooks.js';
import { startReceiver, type Receiver } from '../adapters/webhooks/receiver.js';
import { createTestAuth, manualClock, PASSWORD } from '../core/helpers.js';

const SECRET = generateWebhookSecret();
const PREVIOUS = generateWebhookSecret();
const NOW = new Date('2030-01-01T00:00:00.000Z');
const T = NOW.getTime() / 1000;

const event = {
  id: 'evt_01JABCDEF',
  event: 'account.created',
  group: 'default',
  occurredAt: NOW.toISOString(),
  sequence: 7,
  data: { account: { id: 'acc_1', email: { address: 'ada@example.com' } } },
};
const BODY = JSON.stringify(event);

/** A request as latchkey's dispatcher signs it. */
function signed(input: { body?: string; id?: string; timestamp?: number; secrets?: string[] } = {}) {
  const body = input.body ?? BODY;
  const headers: Record<string, string> = {
    ...webhookHeaders({ id: input.id ?? event.id, timestamp: input.timestamp ?? T, body, secrets: input.secrets ?? [SECRET] }),
  };
  return { body, headers };
}

/** The error `verify` throws, asserting it is a WebhookVerificationError of `code` that echoes no secret. */
function refusal(verify: () => unknown, code: WebhookVerificationErrorCode): WebhookVerificationError {
  let thrown: unknown;
  try {
    verify();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WebhookVerificationError);
  const error = thrown as WebhookVerificationError;
  expect(error.code).toBe(code);
  for (const secret of [SECRET, PREVIOUS]) expect(error.message).not.toContain(secret.slice(6));
  return error;
}

describe('verifyWebhook and standardwebhooks agree, both ways', () => {
  it("the standardwebhooks package verifies latchkey's signatures", () => {
    const now = Math.floor(Date.now() / 1000);
    const { body, headers } = signed({ timestamp: now });
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(event);
    expect(verifyWebhook(SECRET, body, headers)).toEqual(event);
  });

  it("verifyWebhook verifies the standardwebhooks package's signatures", () => {
    const signature = new Webhook(SECRET).sign(event.id, NOW, BODY);
    const headers = { 'webhook-id': event.id, 'webhook-timestamp': String(T), 'webhook-signature': signature };
    expect(verifyWebhook(SECRET, BODY, headers, { now: NOW })).toEqual(event);
  });

  it('during a rotation, a two-signature header verifies under either secret, in either library', () => {
    const now = Math.floor(Date.now() / 1000);
    const ours = signed({ timestamp: now, secrets: [SECRET, PREVIOUS] });
    expect(ours.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    const theirs = {
      ...ours.headers,
      'webhook-signature': [SECRET, PREVIOUS].map((s) => new Webhook(s).sign(event.id, new Date(now * 1000), BODY)).join(' '),
    };
    expect(theirs['webhook-signature']).toBe(ours.headers['webhook-signature']);
    for (const secret of [SECRET, PREVIOUS]) {
      expect(new Webhook(secret).verify(BODY, ours.headers)).toEqual(event);
      expect(verifyWebhook(secret, BODY, theirs)).toEqual(event);
    }
    // A receiver mid-rotation holds both: a request signed by either passes.
    const previousOnly = signed({ timestamp: now, secrets: [PREVIOUS] });
    expect(verifyWebhook([SECRET, PREVIOUS], previousOnly.body, previousOnly.headers)).toEqual(event);
    expect(verifyWebhook([generateWebhookSecret(), SECRET], BODY, ours.headers)).toEqual(event);
  });
});

describe('what verifyWebhook accepts', () => {
  it('takes the body as a string, Buffer, Uint8Array or ArrayBuffer, and headers in any case or as Headers', () => {
    const { headers } = signed();
    const bytes = new TextEncoder().encode(BODY);
    for (const body of [BODY, Buffer.from(BODY), bytes, bytes.buffer]) expect(verifyWebhook(SECRET, body, headers, { now: NOW })).toEqual(event);
    const shouting = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]));
    expect(verifyWebhook(SECRET, BODY, shouting, { now: NOW })).toEqual(event);
    expect(verifyWebhook(SECRET, BODY, new Headers(headers), { now: NOW })).toEqual(event);
  });

  it('accepts a timestamp up to the tolerance away, either way; toleranceSeconds widens it', () => {
    expect(verifyWebhook(SECRET, BODY, signed({ timestamp: T - 300 }).headers, { now: NOW })).toEqual(event);
    expect(verifyWebhook(SECRET, BODY, signed({ timestamp: T + 300 }).headers, { now: NOW })).toEqual(event);
    expect(verifyWebhook(SECRET, BODY, signed({ timestamp: T - 3600 }).headers, { now: NOW, toleranceSeconds: 3600 })).toEqual(event);
  });

  it('refuses to guess: no secret, a malformed secret, a parsed body or a negative tolerance are TypeErrors', () => {
    const { headers } = signed();
    expect(() => verifyWebhook([], BODY, headers, { now: NOW })).toThrow(TypeError);
    expect(() => verifyWebhook('whsec_not base64!', BODY, headers, { now: NOW })).toThrow(TypeError);
    expect(() => verifyWebhook(SECRET, event as unknown as string, headers, { now: NOW })).toThrow(/raw body/);
    expect(() => verifyWebhook(SECRET, BODY, headers, { now: NOW, toleranceSeconds: -1 })).toThrow(TypeError);
  });

  it('returns the event typed by its name', () => {
    const verified = verifyWebhook(SECRET, BODY, signed().headers, { now: NOW });
    expectTypeOf(verified).toEqualTypeOf<WebhookEvent>();
    if (verified.event === 'account.created') expectTypeOf(verified.data.account).toEqualTypeOf<AccountResource>();
    if (verified.event === 'session.revoked') expectTypeOf(verified.data.sessionIds).toEqualTypeOf<string[]>();
    expectTypeOf<WebhookEventOf<'webhook.test'>['data']>().toEqualTypeOf<{ endpointId: string }>();
    expectTypeOf<WebhookEventOf<'account.login-failed'>['data']['account']>().toEqualTypeOf<AccountResource | null>();
    expectTypeOf<WebhookEventOf<'account.locked'>['sequence']>().toEqualTypeOf<number>();
  });
});

describe('attacks are refused with a stable code', () => {
  const { headers } = signed();
  const verify = (body: string | Uint8Array, h: Record<string, string>, now = NOW) => () => verifyWebhook(SECRET, body, h, { now });

  it('wrong secret: invalid_signature', () => {
    refusal(() => verifyWebhook(generateWebhookSecret(), BODY, headers, { now: NOW }), 'invalid_signature');
    refusal(() => verifyWebhook([PREVIOUS, generateWebhookSecret()], BODY, headers, { now: NOW }), 'invalid_signature');
  });

  it('a body with one byte changed: invalid_signature', () => {
    const bytes = Buffer.from(BODY);
    bytes[bytes.indexOf('ada')] = 'e'.charCodeAt(0);
    refusal(verify(bytes, headers), 'invalid_signature');
    refusal(verify(`${BODY} `, headers), 'invalid_signature');
  });

  it('another webhook-id: invalid_signature', () => {
    refusal(verify(BODY, { ...headers, 'webhook-id': 'evt_01JABCDEG' }), 'invalid_signature');
  });

  it('an old request replayed, or one from the future: timestamp_out_of_tolerance', () => {
    refusal(verify(BODY, headers, new Date(NOW.getTime() + 301_000)), 'timestamp_out_of_tolerance');
    refusal(verify(BODY, signed({ timestamp: T - 86_400 }).headers), 'timestamp_out_of_tolerance');
    refusal(verify(BODY, signed({ timestamp: T + 301 }).headers), 'timestamp_out_of_tolerance');
    // Moving the timestamp into the window breaks the signature instead.
    refusal(verify(BODY, { ...signed({ timestamp: T - 86_400 }).headers, 'webhook-timestamp': String(T) }), 'invalid_signature');
  });

  it('a timestamp that is not whole seconds: invalid_timestamp', () => {
    for (const timestamp of ['soon', '1893456000.5', '-1893456000', '1.893456e9', `${T}000000000000`]) {
      refusal(verify(BODY, { ...headers, 'webhook-timestamp': timestamp }), 'invalid_timestamp');
    }
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('no %s, or an empty one: missing_headers', (name) => {
    const { [name]: _dropped, ...rest } = headers;
    refusal(verify(BODY, rest), 'missing_headers');
    refusal(verify(BODY, { ...headers, [name]: '' }), 'missing_headers');
  });

  it('a malformed signature header: invalid_signature', () => {
    const good = headers['webhook-signature']!;
    for (const signature of ['garbage', 'v1,', 'v1', ',', good.slice(3), good.slice(0, -2), `${good.slice(0, -2)}==`, good.replace('v1,', 'v1, ')]) {
      refusal(verify(BODY, { ...headers, 'webhook-signature': signature }), 'invalid_signature');
    }
  });

  it('a correct signature under another version (v2,) only: invalid_signature', () => {
    refusal(verify(BODY, { ...headers, 'webhook-signature': headers['webhook-signature']!.replace('v1,', 'v2,') }), 'invalid_signature');
  });

  it("the signature of another message, with this one's body: invalid_signature", () => {
    const other = signed({ body: JSON.stringify({ ...event, event: 'account.deleted' }) });
    refusal(verify(BODY, { ...headers, 'webhook-signature': other.headers['webhook-signature']! }), 'invalid_signature');
  });

  it('a genuine signature over a body that is not a latchkey event: invalid_body', () => {
    // The Standard Webhooks spec's test vector: signed, but not one of latchkey's events.
    const vector = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    refusal(() => verifyWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '{"test": 2432232314}', vector, { now: new Date(1614265330_000) }), 'invalid_body');
    for (const body of ['not json', '[]', 'null', JSON.stringify({ ...event, sequence: '7' }), JSON.stringify({ ...event, data: null })]) {
      refusal(verify(body, signed({ body }).headers), 'invalid_body');
    }
    const notUtf8 = Uint8Array.from([...Buffer.from(BODY.slice(0, -2)), 0xff, 0x7d]);
    refusal(verify(notUtf8, { ...headers, 'webhook-signature': new Webhook(SECRET).sign(event.id, NOW, notUtf8) }), 'invalid_body');
  });
});

describe('end to end: latchkey delivers to a receiver that uses verifyWebhook', () => {
  let receiver: Receiver | undefined;
  let stop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await stop?.();
    await receiver?.close();
  });

  it('every delivery verifies and comes out typed; a receiver holding another secret refuses them', async () => {
    let secrets: string[] = [];
    const verified: WebhookEvent[] = [];
    const refused: string[] = [];
    receiver = await startReceiver((request, response) => {
      const { body } = receiver!.received.at(-1)!;
      try {
        verified.push(verifyWebhook(secrets, body, request.headers));
        response.writeHead(204).end();
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        refused.push(error.code);
        response.writeHead(400).end(error.code);
      }
    });
    const t = createTestAuth({
      webhookSender: createWebhookSender({ production: false, allow: ['127.0.0.1'] }),
      webhooks: { pollInterval: 50 },
      // verifyWebhook refuses timestamps more than 5 minutes off the real clock.
      clock: manualClock(new Date()),
    });
    const endpoint = await t.auth.createWebhookEndpoint({ url: `${receiver.origin}/hooks`, events: ['account.created', 'account.logged-in'] });
    secrets = [endpoint.secret];
    stop = t.auth.startWebhookDispatcher().stop;

    const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    await t.auth.login({ email: 'ada@example.com', password: PASSWORD });
    await t.auth.sendTestWebhook({ endpointId: endpoint.id });
    await vi.waitFor(() => expect(verified).toHaveLength(3), { timeout: 5000, interval: 20 });

    expect(verified.map((e) => e.event).sort()).toEqual(['account.created', 'account.logged-in', 'webhook.test']);
    for (const e of verified) {
      if (e.event === 'account.created') expect(e.data.account).toEqual(account);
      else if (e.event === 'account.logged-in') expect(e.data).toMatchObject({ account: { id: account.id }, method: 'password' });
      else if (e.event === 'webhook.test') expect(e.data).toEqual({ endpointId: endpoint.id });
    }
    expect(new Set(verified.map((e) => e.sequence)).size).toBe(3);

    // The receiver's secret is not the endpoint's: it answers 400 and the delivery is not marked delivered.
    secrets = [generateWebhookSecret()];
    await t.auth.sendTestWebhook({ endpointId: endpoint.id });
    await vi.waitFor(() => expect(refused).toEqual(['invalid_signature']), { timeout: 5000, interval: 20 });
    expect(verified).toHaveLength(3);
  });
});
