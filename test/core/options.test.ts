import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/adapters/logger/silent.js';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { type AuthOptions, createAuth } from '../../src/index.js';
import { fastHasher, TEST_SECRET } from './helpers.js';

const base = (): AuthOptions => ({ storage: memoryStorage(), secret: TEST_SECRET, logger: silentLogger });

/** Calls createAuth with options the types would refuse, as a JavaScript caller could. */
const createUnchecked = (options: unknown) => () => createAuth(options as AuthOptions);

describe('createAuth options', () => {
  it.each([
    ['accessTokenTtl', { accessTokenTtl: -1 }],
    ['accessTokenTtl', { accessTokenTtl: 1.5 }],
    ['foo', { foo: true }],
    ['session.idleTimeout', { session: { idleTimeout: '14d' } }],
    ['session.bogus', { session: { bogus: 1 } }],
    ['refreshTokenReuseGrace', { refreshTokenReuseGrace: -5 }],
    ['password.minLength', { password: { minLength: 4 } }],
    ['password.maxLength', { password: { minLength: 20, maxLength: 10 } }],
    ['throttle.loginPerAccount.points', { throttle: { loginPerAccount: { points: 0, durationSeconds: 60 } } }],
    ['passwordHasher', { passwordHasher: { hash: () => '' } }],
    ['secret', { secret: 'too-short' }],
  ])('throws a TypeError naming `%s`', (name, bad) => {
    const call = createUnchecked({ ...base(), ...bad });
    expect(call).toThrow(TypeError);
    expect(call).toThrow(`\`${name}\``);
  });

  it('names `storage` when it is missing or not a Storage', () => {
    const { storage: _storage, ...rest } = base();
    expect(createUnchecked(rest)).toThrow(TypeError);
    expect(createUnchecked(rest)).toThrow('`storage`');
    expect(createUnchecked({ ...rest, storage: {} })).toThrow('`storage`');
  });

  it('calls an unknown option an unknown option', () => {
    expect(createUnchecked({ ...base(), foo: 1 })).toThrow(/`foo`: unknown option/);
  });

  it('never echoes a bad secret in the error', () => {
    expect(createUnchecked({ ...base(), secret: 'hunter2-short' })).not.toThrow(/hunter2/);
  });

  it('applies the documented defaults', () => {
    const { options } = createAuth(base());
    expect(options.accessTokenTtl).toBe(900);
    expect(options.issuer).toBe('latchkey');
    expect(options.audience).toBe('latchkey');
    expect(options.session).toEqual({ idleTimeout: 14 * 86_400, absoluteTimeout: 90 * 86_400 });
    expect(options.password).toEqual({ minLength: 8, maxLength: 256 });
    expect(options.refreshTokenReuseGrace).toBe(0);
    expect(options.throttle).toEqual({
      loginPerClient: { points: 10, durationSeconds: 900 },
      loginPerAccount: { points: 200, durationSeconds: 86_400 },
      loginPerIp: { points: 100, durationSeconds: 900 },
      mailPerIp: { points: 50, durationSeconds: 900 },
      requestsPerIp: { points: 300, durationSeconds: 60 },
      challengesPerIp: { points: 60, durationSeconds: 60 },
      refreshPerIp: { points: 1200, durationSeconds: 60 },
      ipv6Prefix: 64,
    });
    // The instance's options never show the secrets it was given.
    expect(options).not.toHaveProperty('secret');
    expect(options).not.toHaveProperty('previousSecrets');
  });

  it('keeps defaults for the fields of a nested option that are not given', () => {
    const { options } = createAuth({ ...base(), session: { idleTimeout: 3600 } });
    expect(options.session).toEqual({ idleTimeout: 3600, absoluteTimeout: 90 * 86_400 });
  });

  it('accepts every port implementation that has the methods', () => {
    expect(() =>
      createAuth({ ...base(), passwordHasher: fastHasher(), clock: { now: () => new Date() } }),
    ).not.toThrow();
  });
});

describe('createAuth refuses weak secrets', () => {
  const strong = (): string => randomBytes(32).toString('base64url');

  it.each([
    ['one character repeated', 'x'.repeat(32)],
    ['one character repeated, longer', 'A'.repeat(64)],
    ['a two-character unit repeated', 'ab'.repeat(16)],
    ['a unit repeated with a partial tail', 'abc'.repeat(11)],
    ['a 16-character block twice', '0123456789abcdef'.repeat(2)],
    ['a random 16-character block twice', 'Xq3vT9pLm2Rw7Kd1'.repeat(2)],
    ['a word padded with one character', 'test-secret-'.padEnd(40, 'x')],
    ['few distinct characters', 'abcabcabdabcabcabcabdabcabcabcab'],
    ['mostly one character', 'abcdefghij'.padEnd(40, 'z')],
  ])('refuses %s as `secret` and as a previous secret', (_what, weak) => {
    for (const [name, options] of [
      ['secret', { secret: weak }],
      ['previousSecrets.0', { previousSecrets: [weak] }],
      ['previousSecrets.1', { previousSecrets: [strong(), weak] }],
    ] as const) {
      const call = createUnchecked({ ...base(), ...options });
      expect(call).toThrow(TypeError);
      expect(call).toThrow(`latchkey: invalid option \`${name}\`: `);
      expect(call).not.toThrow(weak);
    }
  });

  it('never quotes the secret, whatever rule refused it', () => {
    for (const weak of ['hunter2'.padEnd(40, '2'), 'secretsecretsecretsecretsecretsecret', 'short']) {
      try {
        createAuth({ ...base(), secret: weak });
        expect.fail('accepted a weak secret');
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).not.toContain(weak);
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });

  it.each([
    ['openssl rand -hex 32', () => randomBytes(32).toString('hex')],
    ['openssl rand -base64 32', () => randomBytes(32).toString('base64')],
    ["randomBytes(32).toString('base64url')", () => randomBytes(32).toString('base64url')],
    ['hex of 16 random bytes', () => randomBytes(16).toString('hex')],
    ['a UUID v4 and more', () => `${randomUUID()}${randomUUID()}`],
  ])('accepts real random secrets: %s', (_what, make) => {
    for (let i = 0; i < 200; i++) {
      const secret = make();
      expect(() => createAuth({ ...base(), secret, previousSecrets: [make()] })).not.toThrow();
    }
  });

  it('accepts a fixed random-looking literal (tests need a stable one)', () => {
    expect(() => createAuth({ ...base(), secret: 'Hq7Lw2Vt9cXp4Rk1Zm8Ny3Bf6Gd0Js5TaUe2WoKi' })).not.toThrow();
  });
});

describe('createAuth `secret` and NODE_ENV', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.NODE_ENV;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  });

  const withoutSecret = (): AuthOptions => ({ storage: memoryStorage(), logger: silentLogger });

  it('is required in production', () => {
    process.env.NODE_ENV = 'production';
    expect(() => createAuth(withoutSecret())).toThrow(TypeError);
    expect(() => createAuth(withoutSecret())).toThrow('`secret`');
  });

  it('is required when NODE_ENV is unset', () => {
    delete process.env.NODE_ENV;
    expect(() => createAuth(withoutSecret())).toThrow('`secret`');
  });

  it('may be absent in test and development', () => {
    process.env.NODE_ENV = 'test';
    expect(() => createAuth(withoutSecret())).not.toThrow();
    process.env.NODE_ENV = 'development';
    expect(() => createAuth(withoutSecret())).not.toThrow();
  });

  it('is accepted in production when given', () => {
    process.env.NODE_ENV = 'production';
    expect(() => createAuth({ ...withoutSecret(), secret: TEST_SECRET })).not.toThrow();
  });
});
