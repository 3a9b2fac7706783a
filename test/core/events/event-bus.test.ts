import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/events/event-bus.js';
import type { AuthEvent, Logger } from '../../../src/index.js';
import { createTestAuth, expectAuthError, PASSWORD } from '../helpers.js';

function capturingLogger(): Logger & { errors: unknown[][] } {
  const errors: unknown[][] = [];
  const ignore = () => {};
  return { errors, debug: ignore, info: ignore, warn: ignore, error: (...args: unknown[]) => void errors.push(args) };
}

const sample = (): AuthEvent<'session.revoked'> => ({
  id: 'evt_1',
  event: 'session.revoked',
  group: 'default',
  occurredAt: new Date(0).toISOString(),
  data: { accountId: 'acc_1', sessionIds: ['ses_1'], reason: 'logout' },
});

describe('EventBus', () => {
  it('delivers to the listeners of that event only, in subscription order', () => {
    const bus = new EventBus(capturingLogger());
    const calls: string[] = [];
    bus.on('session.revoked', () => void calls.push('a'));
    bus.on('session.revoked', () => void calls.push('b'));
    bus.on('account.created', () => void calls.push('other'));
    bus.emit(sample());
    expect(calls).toEqual(['a', 'b']);
  });

  it('unsubscribes with the returned function and with off', () => {
    const bus = new EventBus(capturingLogger());
    const calls: string[] = [];
    const a = () => void calls.push('a');
    const b = () => void calls.push('b');
    const stopA = bus.on('session.revoked', a);
    bus.on('session.revoked', b);
    stopA();
    bus.off('session.revoked', b);
    bus.emit(sample());
    expect(calls).toEqual([]);
  });

  it('logs a throwing or rejecting listener and still calls the others', async () => {
    const logger = capturingLogger();
    const bus = new EventBus(logger);
    const calls: string[] = [];
    bus.on('session.revoked', () => {
      throw new Error('sync boom');
    });
    bus.on('session.revoked', async () => {
      throw new Error('async boom');
    });
    bus.on('session.revoked', () => void calls.push('after'));
    expect(() => bus.emit(sample())).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['after']);
    expect(logger.errors.map(([, fields]) => (fields as { error: string }).error).sort()).toEqual(['async boom', 'sync boom']);
  });
});

describe('events of an auth instance', () => {
  it('payloads are { id, event, group, occurredAt, sequence, data }, in sequence order', async () => {
    const { auth, clock } = createTestAuth();
    const seen: AuthEvent[] = [];
    auth.events.on('account.created', (e) => void seen.push(e));
    auth.events.on('account.logged-in', (e) => void seen.push(e));
    auth.events.on('account.login-failed', (e) => void seen.push(e));

    const account = await auth.register({ email: 'ada@example.com', password: PASSWORD });
    await auth.login({ email: 'ada@example.com', password: 'wrong password 1', ip: '192.0.2.1' }).catch(() => {});
    const tokens = await auth.login({ email: 'ada@example.com', password: PASSWORD, ip: '192.0.2.1' });
    const { sid } = await auth.verifyAccessToken(tokens.accessToken);

    expect(seen.map((e) => e.event)).toEqual(['account.created', 'account.login-failed', 'account.logged-in']);
    const sequences = seen.map((e) => e.sequence!);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(3);
    for (const event of seen) {
      expect(Object.keys(event).sort()).toEqual(['data', 'event', 'group', 'id', 'occurredAt', 'sequence']);
      expect(event.id).toMatch(/^evt_/);
      expect(event.group).toBe('default');
      expect(event.occurredAt).toBe(clock.now().toISOString());
    }
    expect(new Set(seen.map((e) => e.id)).size).toBe(3);
    expect(seen[0]!.data).toEqual({ account });
    expect(seen[1]!.data).toMatchObject({ email: 'ada@example.com', reason: 'invalid_credentials', ip: '192.0.2.1' });
    expect(seen[1]!.data).toHaveProperty('account.id', account.id);
    expect(seen[2]!.data).toEqual({ account: tokens.account, sessionId: sid, method: 'password', ip: '192.0.2.1' });
    // Nothing secret travels in events.
    const serialized = JSON.stringify(seen);
    expect(serialized).not.toContain(PASSWORD);
    expect(serialized).not.toContain(tokens.refreshToken);
    expect(serialized).not.toContain(tokens.accessToken);
    expect(serialized).not.toContain('$scrypt$');
  });

  it('a login-failed event for an unknown email has no account', async () => {
    const { auth } = createTestAuth();
    const seen: AuthEvent<'account.login-failed'>[] = [];
    auth.events.on('account.login-failed', (e) => void seen.push(e));
    await auth.login({ email: 'nobody@example.com', password: PASSWORD }).catch(() => {});
    expect(seen[0]!.data).toEqual({ account: null, email: 'nobody@example.com', reason: 'invalid_credentials', ip: null });
  });

  it('a correct password refused for a locked account, or an unverified address, is announced too', async () => {
    const { auth } = createTestAuth({ requireEmailVerification: true });
    const seen: AuthEvent<'account.login-failed'>[] = [];
    auth.events.on('account.login-failed', (e) => void seen.push(e));
    const account = await auth.register({ email: 'ada@example.com', password: PASSWORD });
    await expectAuthError(auth.login({ email: 'ada@example.com', password: PASSWORD, ip: '192.0.2.1' }), 'email_not_verified');
    await auth.adminLockAccount({ accountId: account.id });
    await expectAuthError(auth.login({ email: 'ada@example.com', password: PASSWORD, ip: '192.0.2.1' }), 'account_locked');
    expect(seen.map((e) => e.data.reason)).toEqual(['email_not_verified', 'account_locked']);
    for (const event of seen) expect(event.data).toMatchObject({ email: 'ada@example.com', ip: '192.0.2.1', account: { id: account.id } });
  });

  it('a throwing listener does not break login, registration or logout', async () => {
    const { auth } = createTestAuth();
    const boom = () => {
      throw new Error('listener failed');
    };
    const reject = async () => {
      throw new Error('listener rejected');
    };
    for (const name of ['account.created', 'account.logged-in', 'account.login-failed', 'session.revoked'] as const) {
      auth.events.on(name, boom);
      auth.events.on(name, reject);
    }
    await expect(auth.register({ email: 'ada@example.com', password: PASSWORD })).resolves.toBeDefined();
    await expect(auth.login({ email: 'ada@example.com', password: 'wrong password 1' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    const tokens = await auth.login({ email: 'ada@example.com', password: PASSWORD });
    await expect(auth.verifyAccessToken(tokens.accessToken)).resolves.toBeDefined();
    await expect(auth.logout({ refreshToken: tokens.refreshToken })).resolves.toBeUndefined();
  });
});
