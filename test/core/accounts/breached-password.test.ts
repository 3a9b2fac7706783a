import { describe, expect, it } from 'vitest';
import type { Logger, PasswordCheckContext, PasswordHasher, PasswordPolicy } from '../../../src/index.js';
import { createTestAuth, decodeJwt, expectAuthError, fastHasher, PASSWORD, type TestAuth, tokenFromMail } from '../helpers.js';

const EMAIL = 'ada@example.com';
const BREACHED = 'a breached passphrase';
const COMMON = 'Password1';
const GOOD = 'a brand new passphrase';

/** A policy that refuses `BREACHED` like the HIBP adapter would, and records what it was asked. */
function fakeBreachPolicy(): PasswordPolicy & { asked: PasswordCheckContext[] } {
  const asked: PasswordCheckContext[] = [];
  return {
    asked,
    async check(password, context) {
      asked.push(context);
      return password === BREACHED ? { ok: false, reason: 'breached', message: 'has appeared in a data breach' } : { ok: true };
    },
  };
}

/** A hasher that records every password it hashed. */
function recordingHasher(): PasswordHasher & { hashed: string[] } {
  const inner = fastHasher();
  const hashed: string[] = [];
  return { ...inner, hashed, hash: (password) => (hashed.push(password), inner.hash(password)) };
}

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: object) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

async function withAccount(overrides: Parameters<typeof createTestAuth>[0] = {}) {
  const test = createTestAuth(overrides);
  const account = await test.auth.register({ email: EMAIL, password: PASSWORD });
  return { ...test, account };
}

async function resetToken(test: TestAuth): Promise<string> {
  test.clock.advance(1);
  await test.auth.requestPasswordReset({ email: EMAIL });
  return tokenFromMail(await test.outbox.waitFor((m) => m.kind === 'password-reset'));
}

describe('passwordPolicy: common passwords (on by default)', () => {
  it('refuses a common password at registration, in any case, with a detail on `password`', async () => {
    const test = createTestAuth();
    const error = await expectAuthError(test.auth.register({ email: EMAIL, password: COMMON }), 'validation_failed');
    expect(error.message).toBe('The password is too common.');
    expect(error.details).toEqual([{ path: 'password', message: 'is too common' }]);
    expect(await test.storage.accounts.findByEmail('default', EMAIL)).toBeNull();
    await expectAuthError(test.auth.register({ email: EMAIL, password: 'QWERTY123' }), 'validation_failed');
  });

  it('accepts a password that is not on the list', async () => {
    const test = createTestAuth();
    await expect(test.auth.register({ email: EMAIL, password: `${COMMON}!` })).resolves.toMatchObject({ email: { address: EMAIL } });
  });

  it('is off with `passwordPolicy: []`', async () => {
    const test = createTestAuth({ passwordPolicy: [] });
    await expect(test.auth.register({ email: EMAIL, password: COMMON })).resolves.toBeDefined();
  });
});

describe('passwordPolicy: a breach policy', () => {
  it('refuses registration before the password is hashed, and tells the policy where it is', async () => {
    const policy = fakeBreachPolicy();
    const passwordHasher = recordingHasher();
    const test = createTestAuth({ passwordPolicy: policy, passwordHasher });
    const error = await expectAuthError(test.auth.register({ email: EMAIL, password: BREACHED }), 'validation_failed');
    expect(error.details).toEqual([{ path: 'password', message: 'has appeared in a data breach' }]);
    expect(passwordHasher.hashed).not.toContain(BREACHED);
    expect(policy.asked).toEqual([{ operation: 'register', group: 'default', email: EMAIL, logger: expect.anything() }]);
    await expect(test.auth.register({ email: EMAIL, password: GOOD })).resolves.toBeDefined();
  });

  it('refuses a reset, and the token stays usable for a good password', async () => {
    const policy = fakeBreachPolicy();
    const test = await withAccount({ passwordPolicy: policy });
    const token = await resetToken(test);
    await expectAuthError(test.auth.resetPassword({ token, password: BREACHED }), 'validation_failed');
    expect(policy.asked.at(-1)).toMatchObject({ operation: 'reset', email: EMAIL });
    await test.auth.resetPassword({ token, password: GOOD });
    await expect(test.auth.login({ email: EMAIL, password: GOOD })).resolves.toBeDefined();
  });

  it('refuses a change, and the old password still works', async () => {
    const policy = fakeBreachPolicy();
    const test = await withAccount({ passwordPolicy: policy });
    const session = await test.auth.login({ email: EMAIL, password: PASSWORD });
    const change = (next: string) =>
      test.auth.changePassword({
        accountId: test.account.id,
        sessionId: decodeJwt(session.accessToken).payload.sid as string,
        current: PASSWORD,
        next,
      });
    const error = await expectAuthError(change(BREACHED), 'validation_failed');
    expect(error.details).toEqual([{ path: 'password', message: 'has appeared in a data breach' }]);
    expect(policy.asked.at(-1)).toMatchObject({ operation: 'change', email: EMAIL });
    await expect(test.auth.login({ email: EMAIL, password: PASSWORD })).resolves.toBeDefined();
    await expect(change(GOOD)).resolves.toBeDefined();
  });

  it('refuses the new password of an unlock first, on `newPassword`', async () => {
    const test = createTestAuth({ passwordPolicy: fakeBreachPolicy() });
    const error = await expectAuthError(
      test.auth.unlockAccount({ email: EMAIL, recoveryCode: 'AAAA-BBBB', newPassword: BREACHED }),
      'validation_failed',
    );
    expect(error.details).toEqual([{ path: 'newPassword', message: 'has appeared in a data breach' }]);
    await expectAuthError(test.auth.unlockAccount({ email: EMAIL, recoveryCode: 'AAAA-BBBB', newPassword: GOOD }), 'invalid_credentials');
  });

  it('asks the policies in order and stops at the first refusal', async () => {
    const breach = fakeBreachPolicy();
    const refuseAll: PasswordPolicy = { check: async () => ({ ok: false, reason: 'house', message: 'breaks a house rule' }) };
    const test = createTestAuth({ passwordPolicy: [refuseAll, breach] });
    const error = await expectAuthError(test.auth.register({ email: EMAIL, password: BREACHED }), 'validation_failed');
    expect(error.details).toEqual([{ path: 'password', message: 'breaks a house rule' }]);
    expect(breach.asked).toEqual([]);
  });

  it('logs the refusal with its reason, never the password', async () => {
    const logger = capturingLogger();
    const test = createTestAuth({ passwordPolicy: fakeBreachPolicy(), logger });
    await expectAuthError(test.auth.register({ email: EMAIL, password: BREACHED }), 'validation_failed');
    expect(logger.lines.some((line) => line.includes('"reason":"breached"'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(BREACHED);
  });

  it('refuses a policy option that is not a PasswordPolicy', () => {
    expect(() => createTestAuth({ passwordPolicy: [{}] as never })).toThrow(/`passwordPolicy`: must implement the PasswordPolicy port/);
  });
});
