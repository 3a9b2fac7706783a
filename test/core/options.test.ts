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
      loginPerAccount: { points: 10, durationSeconds: 900 },
      loginPerIp: { points: 100, durationSeconds: 900 },
    });
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
