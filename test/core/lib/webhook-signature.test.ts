import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, webhookHeaders } from '../../../src/core/lib/webhook-signature.js';

const now = () => Math.floor(Date.now() / 1000);
const body = JSON.stringify({ id: 'evt_1', event: 'account.created', group: 'default', data: { account: { id: 'acc_1' } } });

describe('generateWebhookSecret', () => {
  it('is whsec_ + base64 of 32 random bytes, never repeated', () => {
    const secrets = new Set(Array.from({ length: 200 }, generateWebhookSecret));
    expect(secrets.size).toBe(200);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    }
  });
});

describe('signWebhook', () => {
  it('matches the Standard Webhooks test vector (pinned, computed with the standardwebhooks package)', () => {
    const input = { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}' };
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(signWebhook({ ...input, secrets: [secret] })).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(signWebhook({ ...input, secrets: [secret] })).toBe(new Webhook(secret).sign(input.id, new Date(input.timestamp * 1000), input.body));
    // A 32-byte secret as generateWebhookSecret makes them.
    const secret32 = 'whsec_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';
    expect(signWebhook({ id: 'evt_1', timestamp: 1700000000, body: '{"event":"account.created"}', secrets: [secret32] })).toBe(
      'v1,Fv4V6mklErDu+IC/6i+gvynP7SQettr+d4FqPSTouA4=',
    );
  });

  it('verifies with the standardwebhooks package', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders({ id: 'evt_1', timestamp: now(), body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('during a rotation sends both signatures, newest first, and each secret alone verifies', () => {
    const [newest, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = webhookHeaders({ id: 'evt_1', timestamp: now(), body, secrets: [newest, previous] });
    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    expect(signatures[0]).toBe(signWebhook({ id: 'evt_1', timestamp: Number(headers['webhook-timestamp']), body, secrets: [newest] }));
    expect(new Webhook(newest).verify(body, { ...headers })).toBeTruthy();
    expect(new Webhook(previous).verify(body, { ...headers })).toBeTruthy();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow(/signature/i);
  });

  it('fails verification when the body, the timestamp or the id is altered', () => {
    const secret = generateWebhookSecret();
    const headers = { ...webhookHeaders({ id: 'evt_1', timestamp: now(), body, secrets: [secret] }) };
    const webhook = new Webhook(secret);
    expect(() => webhook.verify(body.replace('acc_1', 'acc_2'), headers)).toThrow(/signature/i);
    expect(() => webhook.verify(`${body} `, headers)).toThrow(/signature/i);
    // Still within the receiver's 5-minute tolerance, so only the signature can reject it.
    const later = String(Number(headers['webhook-timestamp']) + 1);
    expect(() => webhook.verify(body, { ...headers, 'webhook-timestamp': later })).toThrow(/signature/i);
    expect(() => webhook.verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow(/signature/i);
  });

  it('refuses no secrets, a malformed secret and a non-integer timestamp', () => {
    const input = { id: 'evt_1', timestamp: 1700000000, body };
    expect(() => signWebhook({ ...input, secrets: [] })).toThrow(TypeError);
    expect(() => signWebhook({ ...input, secrets: ['whsec_'] })).toThrow(TypeError);
    expect(() => signWebhook({ ...input, secrets: ['whsec_not base64!'] })).toThrow(TypeError);
    expect(() => signWebhook({ ...input, timestamp: 1700000000.5, secrets: [generateWebhookSecret()] })).toThrow(TypeError);
    expect(() => signWebhook({ ...input, timestamp: -1, secrets: [generateWebhookSecret()] })).toThrow(TypeError);
  });
});

describe('webhookHeaders', () => {
  it('has the spec headers, the content type and a user agent', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(webhookHeaders({ id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}', secrets: [secret] })).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      'content-type': 'application/json',
      'user-agent': 'latchkey-webhooks/1',
    });
    expect(webhookHeaders({ id: 'e', timestamp: 1, body: '{}', secrets: [secret], userAgent: 'acme/2' })['user-agent']).toBe('acme/2');
  });
});
