import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { createSealedBox } from '../../src/core/lib/sealed-box.js';
import type { Logger } from '../../src/index.js';
import type { Storage } from '../../src/core/ports.js';
import { createTestAuth, decodeJwt, expectAuthError, manualClock, type ManualClock, PASSWORD, registerAndLogin } from './helpers.js';
import { lastMailCode } from './otp/helpers.js';
import { codeAt, enableTotp } from './two-factor/helpers.js';

/** Fixed, so the test is reproducible; random-looking, so option parsing accepts them. */
const OLD = 'Hq7Lw2Vt9cXp4Rk1Zm8Ny3Bf6Gd0Js5TaUe2WoKi';
const NEW = 'p3Xz8Qa1Lm6Tc9Rv2Kw5Ny0Hb4Gj7Fd1Se8Uo3Ix';
const EMAIL = 'ada@example.com';

/** A logger that keeps every line, to prove what is logged and that no secret is. */
function recordingLogger(): Logger & { lines: { level: string; message: string; fields?: unknown }[] } {
  const lines: { level: string; message: string; fields?: unknown }[] = [];
  const log = (level: string) => (message: string, fields?: unknown) => void lines.push({ level, message, fields });
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** One database and clock, opened by instances configured with different secrets (restarts). */
function deployment() {
  const storage = memoryStorage();
  const clock = manualClock();
  const start = (secret: string, previousSecrets: string[] = [], logger: Logger = recordingLogger()) =>
    createTestAuth({ storage, clock, secret, previousSecrets, logger });
  return { storage, clock, start };
}

const kidOf = (token: string) => decodeJwt(token).header.kid as string;
const opensUnder = async (secret: string, purpose: string, sealed: string) =>
  (await createSealedBox(secret, purpose).unseal(sealed)) !== null;

async function totpSealed(storage: Storage, accountId: string): Promise<string> {
  const account = await storage.accounts.findById('default', accountId);
  if (!account?.totpSecretSealed) throw new Error('no TOTP secret');
  return account.totpSecretSealed;
}

/** Ada with an authenticator, set up under `OLD`. */
async function adaWithTotp(d: ReturnType<typeof deployment>) {
  const before = d.start(OLD);
  const first = await registerAndLogin(before.auth, { email: EMAIL });
  const { secret, recoveryCodes } = await enableTotp(before, first.account.id);
  return { accountId: first.account.id, totp: secret, recoveryCodes, first };
}

const totpNow = (clock: ManualClock, secret: string) => codeAt({ clock } as Parameters<typeof codeAt>[0], secret);

describe('rotating `secret` with `previousSecrets`', () => {
  it('keeps login and refresh working, and replaces the signing key with one sealed under the new secret', async () => {
    const d = deployment();
    const before = await registerAndLogin(d.start(OLD).auth, { email: EMAIL });
    const oldKid = kidOf(before.accessToken);

    const rotated = d.start(NEW, [OLD]);
    await expect(rotated.auth.checkSecret()).resolves.toBeUndefined();
    await expect(rotated.auth.verifyAccessToken(before.accessToken)).resolves.toMatchObject({ sub: before.account.id });
    const refreshed = await rotated.auth.refresh({ refreshToken: before.refreshToken });
    const newKid = kidOf(refreshed.accessToken);
    expect(newKid).not.toBe(oldKid);
    const login = await rotated.auth.login({ email: EMAIL, password: PASSWORD });
    expect(kidOf(login.accessToken)).toBe(newKid);

    const keys = await d.storage.signingKeys.listByGroup('default');
    expect(keys.map((k) => k.generation)).toEqual([2, 1]);
    expect(await opensUnder(NEW, 'latchkey/signing-keys', keys[0]!.privateJwkSealed)).toBe(true);
    expect(await opensUnder(NEW, 'latchkey/signing-keys', keys[1]!.privateJwkSealed)).toBe(false);
    // The old key stays published, so tokens it signed keep verifying until they expire.
    expect((await rotated.auth.jwks()).keys.map((k) => k.kid)).toEqual([newKid, oldKid]);

    // Once re-sealed, the old secret can go.
    const dropped = d.start(NEW);
    await expect(dropped.auth.checkSecret()).resolves.toBeUndefined();
    const later = await dropped.auth.login({ email: EMAIL, password: PASSWORD });
    expect(kidOf(later.accessToken)).toBe(newKid);
    await expect(dropped.auth.refresh({ refreshToken: refreshed.refreshToken })).resolves.toBeDefined();
    await expect(dropped.auth.verifyAccessToken(before.accessToken)).resolves.toBeDefined();
    expect(await d.storage.signingKeys.listByGroup('default')).toHaveLength(2);
  });

  it('replaces the stale key once when many instances sign at the same time', async () => {
    const d = deployment();
    await registerAndLogin(d.start(OLD).auth, { email: EMAIL });
    const a = d.start(NEW, [OLD]).auth;
    const b = d.start(NEW, [OLD]).auth;
    const logins = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).login({ email: EMAIL, password: PASSWORD })),
    );
    const keys = await d.storage.signingKeys.listByGroup('default');
    expect(keys.map((k) => k.generation)).toEqual([2, 1]);
    for (const tokens of logins) expect(kidOf(tokens.accessToken)).toBe(keys[0]!.id);
  });

  it('keeps TOTP working and re-seals the TOTP secret under the new secret at its first use', async () => {
    const d = deployment();
    const ada = await adaWithTotp(d);
    const sealedBefore = await totpSealed(d.storage, ada.accountId);

    const rotated = d.start(NEW, [OLD]);
    await expectAuthError(rotated.auth.login({ email: EMAIL, password: PASSWORD }), 'two_factor_required');
    const tokens = await rotated.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: totpNow(d.clock, ada.totp) });
    expect(decodeJwt(tokens.accessToken).payload.amr).toEqual(['pwd', 'otp', 'mfa']);

    const sealedAfter = await totpSealed(d.storage, ada.accountId);
    expect(sealedAfter).not.toBe(sealedBefore);
    expect(await opensUnder(NEW, 'latchkey/account-secrets', sealedAfter)).toBe(true);
    const account = await d.storage.accounts.findById('default', ada.accountId);
    expect(account?.totpEnabledAt).not.toBeNull();

    d.clock.advance(30);
    const dropped = d.start(NEW);
    await expect(
      dropped.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: totpNow(d.clock, ada.totp) }),
    ).resolves.toBeDefined();
  });

  it('does not re-seal on a wrong code, and the used code stays used', async () => {
    const d = deployment();
    const ada = await adaWithTotp(d);
    const sealedBefore = await totpSealed(d.storage, ada.accountId);
    const rotated = d.start(NEW, [OLD]);
    const code = totpNow(d.clock, ada.totp);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await expectAuthError(rotated.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: wrong }), 'invalid_two_factor');
    expect(await totpSealed(d.storage, ada.accountId)).toBe(sealedBefore);
    await rotated.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: code });
    await expectAuthError(rotated.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: code }), 'invalid_two_factor');
  });

  it('confirms an enrolment begun under the old secret (the pending value is compared as stored)', async () => {
    const d = deployment();
    const before = d.start(OLD);
    const { account } = await registerAndLogin(before.auth, { email: EMAIL });
    const { secret } = await before.auth.enrolTotp({ group: 'default', accountId: account.id });

    const rotated = d.start(NEW, [OLD]);
    const { recoveryCodes } = await rotated.auth.confirmTotp({
      group: 'default',
      accountId: account.id,
      code: totpNow(d.clock, secret),
      password: PASSWORD,
    });
    expect(recoveryCodes).toHaveLength(10);
    d.clock.advance(30);
    await rotated.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: totpNow(d.clock, secret) });
    expect(await opensUnder(NEW, 'latchkey/account-secrets', await totpSealed(d.storage, account.id))).toBe(true);
  });

  it('accepts recovery codes hashed under the old secret, once each', async () => {
    const d = deployment();
    const ada = await adaWithTotp(d);
    const rotated = d.start(NEW, [OLD]);
    const [first, second] = ada.recoveryCodes;
    await expect(rotated.auth.login({ email: EMAIL, password: PASSWORD, twoFactorRecoveryCode: first! })).resolves.toBeDefined();
    await expectAuthError(rotated.auth.login({ email: EMAIL, password: PASSWORD, twoFactorRecoveryCode: first! }), 'invalid_two_factor');
    await expect(rotated.auth.login({ email: EMAIL, password: PASSWORD, twoFactorRecoveryCode: second! })).resolves.toBeDefined();

    // Codes issued after the rotation are hashed under the new secret and need no previous one.
    d.clock.advance(30);
    const { recoveryCodes } = await rotated.auth.regenerateRecoveryCodes({
      group: 'default',
      accountId: ada.accountId,
      otp: totpNow(d.clock, ada.totp),
    });
    const dropped = d.start(NEW);
    await expect(dropped.auth.login({ email: EMAIL, password: PASSWORD, twoFactorRecoveryCode: recoveryCodes[0]! })).resolves.toBeDefined();
  });

  it('checks one-time codes under the current secret only: one sent before the rotation costs one attempt', async () => {
    const d = deployment();
    const before = d.start(OLD);
    const { account } = await registerAndLogin(before.auth, { email: EMAIL });
    await before.auth.sendChannelCode({ group: 'default', accountId: account.id, channel: 'email' });
    const code = lastMailCode(before);

    const rotated = d.start(NEW, [OLD]);
    await expectAuthError(
      rotated.auth.verifyChannel({ group: 'default', accountId: account.id, channel: 'email', code, password: PASSWORD }),
      'invalid_two_factor',
    );
    const live = await d.storage.otpCodes.find('default', account.id, 'email', 'verify');
    expect(live?.attempts).toBe(1);
  });
});

describe('a changed `secret` without `previousSecrets`', () => {
  it('checkSecret() says so at start-up, naming the options and no secret', async () => {
    const d = deployment();
    await registerAndLogin(d.start(OLD).auth, { email: EMAIL });
    const error = await d.start(NEW).auth.checkSecret().then(
      () => expect.fail('checkSecret() passed'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/cannot open the signing keys stored in the database/);
    expect(error.message).toMatch(/`secret` has changed/);
    expect(error.message).toMatch(/`previousSecrets`/);
    expect(error.message).not.toContain(OLD);
    expect(error.message).not.toContain(NEW);
    // The old secret, as a previous one, fixes it.
    await expect(d.start(NEW, [OLD]).auth.checkSecret()).resolves.toBeUndefined();
  });

  it('checkSecret() passes on an empty database, and checks other groups it is told of', async () => {
    const d = deployment();
    await expect(d.start(NEW).auth.checkSecret()).resolves.toBeUndefined();
    const before = d.start(OLD).auth;
    await before.createGroup({ id: 'acme', name: 'Acme' });
    await before.jwks({ group: 'acme' });
    const after = d.start(NEW).auth;
    await expect(after.checkSecret()).resolves.toBeUndefined();
    await expect(after.checkSecret({ groups: ['acme'] })).rejects.toThrow(/group "acme"/);
  });

  it('login does not fail: it logs an error (no secret in it) and signs with a new key', async () => {
    const d = deployment();
    const before = await registerAndLogin(d.start(OLD).auth, { email: EMAIL });
    const logger = recordingLogger();
    const after = d.start(NEW, [], logger).auth;
    const login = await after.login({ email: EMAIL, password: PASSWORD });
    expect(kidOf(login.accessToken)).not.toBe(kidOf(before.accessToken));
    await expect(after.verifyAccessToken(login.accessToken)).resolves.toBeDefined();
    await expect(after.refresh({ refreshToken: before.refreshToken })).resolves.toBeDefined();
    const errors = logger.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/signing key cannot be opened/);
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain(OLD);
    expect(logged).not.toContain(NEW);
    // Tokens of the unreadable key still verify: its public half stays published.
    await expect(after.verifyAccessToken(before.accessToken)).resolves.toBeDefined();
  });

  it('a TOTP secret no secret opens makes the code invalid, not a server error', async () => {
    const d = deployment();
    const ada = await adaWithTotp(d);
    const logger = recordingLogger();
    const after = d.start(NEW, [], logger).auth;
    await expectAuthError(
      after.login({ email: EMAIL, password: PASSWORD, twoFactorCode: totpNow(d.clock, ada.totp) }),
      'invalid_two_factor',
    );
    expect(logger.lines.some((l) => l.level === 'error' && /TOTP secret cannot be opened/.test(l.message))).toBe(true);
    expect(JSON.stringify(logger.lines)).not.toContain(OLD);
    expect(JSON.stringify(logger.lines)).not.toContain(ada.totp);
  });
});

describe('weak secrets', () => {
  it.each([
    ['secret', { secret: 'x'.repeat(32) }],
    ['secret', { secret: 'ab'.repeat(20) }],
    ['secret', { secret: 'test-secret-'.padEnd(40, 'x') }],
    ['previousSecrets.0', { secret: NEW, previousSecrets: ['0123456789abcdef'.repeat(2)] }],
  ])('are refused for `%s`', (name, options) => {
    const start = () => createTestAuth({ storage: memoryStorage(), ...options });
    expect(start).toThrow(TypeError);
    expect(start).toThrow(`latchkey: invalid option \`${name}\``);
  });
});
