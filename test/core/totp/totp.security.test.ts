import { describe, expect, it } from 'vitest';
import { createSealedBox } from '../../../src/core/lib/sealed-box.js';
import { verifyTotpCode } from '../../../src/core/internal/totp/totp-code.js';
import type { AuthEvent, LogFields, Logger } from '../../../src/index.js';
import { createTestAuth, expectAuthError, PASSWORD, TEST_SECRET, type TestAuth } from '../helpers.js';
import { codeAt, coreContext, enableTotp, readAccount, signedInAccount, wrongCode } from '../two-factor/helpers.js';

const box = createSealedBox(TEST_SECRET, 'latchkey/account-secrets');
const STEP = (t: TestAuth) => Math.floor(t.clock.now().getTime() / 30_000);

type Proof = { otp?: string; password?: string };

/** Confirms the pending enrolment with `code`, proven by the password (no second factor yet) or `proof`. */
const confirm = (t: TestAuth, accountId: string, code: string, proof: Proof = { password: PASSWORD }) =>
  t.auth.confirmTotp({ group: 'default', accountId, code, ...proof });

/** Verifies `code` with the account as storage has it now (as every flow reads it). */
async function verify(t: TestAuth, accountId: string, code: string): Promise<boolean> {
  return verifyTotpCode(coreContext(t), await readAccount(t.storage, accountId), code);
}

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string, fields?: LogFields) => void lines.push(JSON.stringify({ message, fields }));
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('TOTP enrolment', () => {
  it('answers a 160-bit base32 secret, its otpauth URI and an SVG QR code; stores it sealed and pending', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const before = await t.auth.getAccount({ group: 'default', accountId });
    const enrolment = await t.auth.enrolTotp({ group: 'default', accountId });

    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.uri).toBe(
      `otpauth://totp/latchkey:ada%40example.com?secret=${enrolment.secret}&issuer=latchkey&algorithm=SHA1&digits=6&period=30`,
    );
    expect(enrolment.qrCodeSvg.startsWith('<svg')).toBe(true);
    expect(enrolment.qrCodeSvg).toContain('</svg>');

    const stored = await readAccount(t.storage, accountId);
    expect(stored.totpSecretSealed).toBeNull();
    expect(stored.totpPendingSecretSealed).not.toBeNull();
    expect(await box.open(stored.totpPendingSecretSealed!)).toBe(enrolment.secret);
    // Pending means nothing visible changed.
    expect(await t.auth.getAccount({ group: 'default', accountId })).toEqual(before);
  });

  it('names the app from email.appName, else the issuer option, URI-encoded', async () => {
    const t = createTestAuth({ issuer: 'Acme & Co', email: { appName: 'Acme App' } });
    const { accountId } = await signedInAccount(t);
    const { uri, secret } = await t.auth.enrolTotp({ group: 'default', accountId });
    expect(uri).toBe(
      `otpauth://totp/Acme%20App:ada%40example.com?secret=${secret}&issuer=Acme%20App&algorithm=SHA1&digits=6&period=30`,
    );
    const plain = createTestAuth({ issuer: 'Acme & Co' });
    const other = await signedInAccount(plain);
    expect((await plain.auth.enrolTotp({ group: 'default', accountId: other.accountId })).uri).toMatch(
      /^otpauth:\/\/totp\/Acme%20%26%20Co:ada%40example\.com\?secret=[A-Z2-7]{32}&issuer=Acme%20%26%20Co&/,
    );
  });

  it('every enrolment gets a fresh secret', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const secrets = new Set<string>();
    for (let i = 0; i < 5; i++) secrets.add((await t.auth.enrolTotp({ group: 'default', accountId })).secret);
    expect(secrets.size).toBe(5);
  });

  it('the secret is stored sealed: neither it nor its bytes appear in the record', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret, recoveryCodes } = await enableTotp(t, accountId);
    const record = JSON.stringify(await readAccount(t.storage, accountId));
    const hex = Buffer.from(secret, 'ascii').toString('hex');
    for (const needle of [secret, secret.toLowerCase(), hex, ...recoveryCodes]) expect(record).not.toContain(needle);
    const stored = await readAccount(t.storage, accountId);
    expect(stored.totpSecretSealed).toMatch(/^v1\./);
    expect(await box.open(stored.totpSecretSealed!)).toBe(secret);
    // Another app secret cannot open it.
    const otherApp = createSealedBox('afBaGyrGypTw_VX8q7X8Vwmp1InzC_xjkKKRpYez', 'latchkey/account-secrets');
    await expect(otherApp.open(stored.totpSecretSealed!)).rejects.toThrow();
  });

  it('the secret appears in no response, event or log line but the enrolment answer', async () => {
    const logger = capturingLogger();
    const t = createTestAuth({ logger });
    const seen: unknown[] = [];
    for (const event of ['account.two-factor-enabled', 'account.logged-in', 'account.recovery-codes-regenerated'] as const) {
      t.auth.events.on(event, (e) => void seen.push(e));
    }
    const { accountId } = await signedInAccount(t);
    const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
    seen.push(await t.auth.getAccount({ group: 'default', accountId }));
    seen.push(await confirm(t, accountId, codeAt(t, secret)));
    seen.push(await t.auth.getAccount({ group: 'default', accountId }));
    t.clock.advance(30);
    seen.push(await t.auth.regenerateRecoveryCodes({ group: 'default', accountId, otp: codeAt(t, secret) }));
    await t.auth.enrolTotp({ group: 'default', accountId });
    seen.push(await t.auth.getAccount({ group: 'default', accountId }));
    const stored = await readAccount(t.storage, accountId);
    const text = JSON.stringify(seen) + logger.lines.join('\n');
    for (const needle of [secret, stored.totpSecretSealed!, stored.totpPendingSecretSealed!]) expect(text).not.toContain(needle);
    expect(seen.length).toBeGreaterThan(5);
  });
});

describe('TOTP confirmation', () => {
  it('enables TOTP with a code of the pending secret, records the step, issues 10 recovery codes, emits', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const events: AuthEvent<'account.two-factor-enabled'>[] = [];
    t.auth.events.on('account.two-factor-enabled', (e) => void events.push(e));
    const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
    const pending = (await readAccount(t.storage, accountId)).totpPendingSecretSealed;
    const { recoveryCodes } = await confirm(t, accountId, codeAt(t, secret));

    expect(recoveryCodes).toHaveLength(10);
    const stored = await readAccount(t.storage, accountId);
    expect(stored).toMatchObject({
      totpSecretSealed: pending,
      totpPendingSecretSealed: null,
      totpLastUsedStep: STEP(t),
      totpEnabledAt: t.clock.now(),
      recoveryCodesRemaining: 10,
    });
    const account = await t.auth.getAccount({ group: 'default', accountId });
    expect(account.twoFactor).toEqual({ enabled: true, methods: ['totp'], recoveryCodesRemaining: 10 });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({ account, method: 'totp' });
  });

  it('accepts a code of the previous or next step (clock drift) but not two steps away', async () => {
    for (const offset of [-1, 1]) {
      const t = createTestAuth();
      const { accountId } = await signedInAccount(t);
      const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
      for (const far of [-2, 2]) {
        const code = codeAt(t, secret, far);
        await expectAuthError(confirm(t, accountId, code), 'invalid_two_factor');
      }
      await confirm(t, accountId, codeAt(t, secret, offset));
      expect((await readAccount(t.storage, accountId)).totpLastUsedStep).toBe(STEP(t) + offset);
    }
  });

  it('refuses a wrong code, leaving the enrolment pending', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
    const right = codeAt(t, secret);
    const wrong = wrongCode(right);
    const error = await expectAuthError(confirm(t, accountId, wrong), 'invalid_two_factor');
    expect(error.message).toBe('The two-factor code is not valid.');
    for (const code of ['', 'abcdef', '12345', `${right}0`]) {
      await expectAuthError(confirm(t, accountId, code), 'invalid_two_factor');
    }
    expect((await readAccount(t.storage, accountId)).totpSecretSealed).toBeNull();
    await confirm(t, accountId, right);
  });

  it('refuses confirmation when no enrolment is in progress (never started, or already confirmed)', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const none = await expectAuthError(confirm(t, accountId, '123456'), 'validation_failed');
    expect(none.details).toEqual([{ path: 'code', message: 'no enrolment in progress' }]);
    const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
    const code = codeAt(t, secret);
    await confirm(t, accountId, code);
    await expectAuthError(confirm(t, accountId, code), 'validation_failed');
  });

  it('the confirming code cannot be replayed afterwards', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
    const code = codeAt(t, secret);
    await confirm(t, accountId, code);
    expect(await verify(t, accountId, code)).toBe(false);
    expect(await verify(t, accountId, codeAt(t, secret, 1))).toBe(true);
  });

  it('of concurrent confirmations with one code, exactly one succeeds', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
    const code = codeAt(t, secret);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => confirm(t, accountId, code)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason.code).toMatch(/^(invalid_two_factor|validation_failed)$/);
    }
  });
});

describe('verifyTotpCode: replay protection', () => {
  it('the same code twice: the second is refused', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await enableTotp(t, accountId);
    const code = codeAt(t, secret);
    expect(await verify(t, accountId, code)).toBe(true);
    expect(await verify(t, accountId, code)).toBe(false);
    // Still refused later on, while the code is inside the window.
    t.clock.advance(29);
    expect(await verify(t, accountId, code)).toBe(false);
  });

  it('an older step is refused after a newer one was used', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await enableTotp(t, accountId);
    const [previous, current, next] = [codeAt(t, secret, -1), codeAt(t, secret), codeAt(t, secret, 1)];
    expect(await verify(t, accountId, next)).toBe(true);
    expect(await verify(t, accountId, current)).toBe(false);
    expect(await verify(t, accountId, previous)).toBe(false);
    expect((await readAccount(t.storage, accountId)).totpLastUsedStep).toBe(STEP(t) + 1);
  });

  it('20 concurrent verifications of one code: exactly one true', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await enableTotp(t, accountId);
    const account = await readAccount(t.storage, accountId);
    const ctx = coreContext(t);
    const code = codeAt(t, secret);
    const results = await Promise.all(Array.from({ length: 20 }, () => verifyTotpCode(ctx, account, code)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('accepts ±1 step at the injected clock and refuses ±2', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await enableTotp(t, accountId);
    t.clock.advance(10 * 30 + 17); // mid-step, well past the confirming step
    expect(await verify(t, accountId, codeAt(t, secret, -2))).toBe(false);
    expect(await verify(t, accountId, codeAt(t, secret, 2))).toBe(false);
    expect(await verify(t, accountId, codeAt(t, secret, -1))).toBe(true);
    expect(await verify(t, accountId, codeAt(t, secret, 1))).toBe(true);
    // At a step's last second the next step is still one away, and the one before the previous is not.
    t.clock.advance(30 * 5 - 17 + 29);
    expect(await verify(t, accountId, codeAt(t, secret, -2))).toBe(false);
    expect(await verify(t, accountId, codeAt(t, secret))).toBe(true);
  });

  it('is false for an account without TOTP, malformed input, and after the clock went back', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
    // A pending secret is not a factor yet.
    expect(await verify(t, accountId, codeAt(t, secret))).toBe(false);
    await confirm(t, accountId, codeAt(t, secret));
    for (const code of ['', '12345', '1234567', 'abcdef', '12 34 5', ' '.repeat(100)]) {
      expect(await verify(t, accountId, code)).toBe(false);
    }
    // Whitespace inside a code is ignored, as apps display `123 456`.
    t.clock.advance(30);
    const spaced = codeAt(t, secret).replace(/^(\d{3})/, '$1 ');
    expect(await verify(t, accountId, spaced)).toBe(true);
    // A used step far ahead of the clock (clock set back): refused, never an exception.
    await t.storage.accounts.claimTotpStep('default', accountId, STEP(t) + 100);
    t.clock.advance(30);
    expect(await verify(t, accountId, codeAt(t, secret))).toBe(false);
  });
});

describe('re-enrolment', () => {
  it('replaces the pending secret; the enabled authenticator keeps working until the new one is confirmed', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret: first, recoveryCodes: firstCodes } = await enableTotp(t, accountId);
    const enabledSealed = (await readAccount(t.storage, accountId)).totpSecretSealed;

    const { secret: abandoned } = await t.auth.enrolTotp({ group: 'default', accountId });
    const { secret: second } = await t.auth.enrolTotp({ group: 'default', accountId });
    const stored = await readAccount(t.storage, accountId);
    expect(stored.totpSecretSealed).toBe(enabledSealed);
    expect(await box.open(stored.totpPendingSecretSealed!)).toBe(second);
    expect((await t.auth.getAccount({ group: 'default', accountId })).twoFactor.methods).toEqual(['totp']);

    // The old authenticator still works; the new secret does not count yet.
    expect(await verify(t, accountId, codeAt(t, second))).toBe(false);
    expect(await verify(t, accountId, codeAt(t, first))).toBe(true);
    // A code of the replaced pending secret cannot confirm.
    t.clock.advance(30);
    // Replacing an enabled authenticator is proven with it (x-otp), not with the password.
    const otp = codeAt(t, first);
    await expectAuthError(confirm(t, accountId, codeAt(t, abandoned), { otp }), 'invalid_two_factor');

    const { recoveryCodes } = await confirm(t, accountId, codeAt(t, second), { otp });
    expect(recoveryCodes).not.toEqual(firstCodes);
    t.clock.advance(30);
    expect(await verify(t, accountId, codeAt(t, first))).toBe(false);
    expect(await verify(t, accountId, codeAt(t, second))).toBe(true);
  });
});

describe('disableTotp', () => {
  it('needs a current code or a recovery code, then erases every TOTP field and emits', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await enableTotp(t, accountId);
    const events: AuthEvent<'account.two-factor-disabled'>[] = [];
    t.auth.events.on('account.two-factor-disabled', (e) => void events.push(e));

    const missing = await expectAuthError(t.auth.disableTotp({ group: 'default', accountId }), 'validation_failed');
    expect(missing.message).toBe('An x-otp header (a current second factor: an authenticator code, a code sent to you, or a recovery code) is required.');
    expect(missing.details).toEqual([{ path: 'x-otp', message: 'is required' }]);
    const otp = wrongCode(codeAt(t, secret));
    await expectAuthError(t.auth.disableTotp({ group: 'default', accountId, otp }), 'invalid_two_factor');
    expect((await readAccount(t.storage, accountId)).totpSecretSealed).not.toBeNull();

    await t.auth.enrolTotp({ group: 'default', accountId }); // a pending one goes too
    t.clock.advance(60);
    const account = await t.auth.disableTotp({ group: 'default', accountId, otp: codeAt(t, secret) });
    expect(account.twoFactor).toEqual({ enabled: false, methods: [], recoveryCodesRemaining: 10 });
    expect(account.events.updatedAt).toBe(t.clock.now().toISOString());
    expect(await readAccount(t.storage, accountId)).toMatchObject({
      totpSecretSealed: null,
      totpPendingSecretSealed: null,
      totpLastUsedStep: null,
      totpEnabledAt: null,
    });
    expect(events.map((e) => e.data)).toEqual([{ account, method: 'totp' }]);
    expect(await verify(t, accountId, codeAt(t, secret, 1))).toBe(false);
  });

  it('accepts a recovery code, which is spent', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { recoveryCodes } = await enableTotp(t, accountId);
    const account = await t.auth.disableTotp({ group: 'default', accountId, otp: recoveryCodes[3]!.toUpperCase() });
    expect(account.twoFactor).toEqual({ enabled: false, methods: [], recoveryCodesRemaining: 9 });
  });
});

describe('confirmTotp needs a fresh proof of the owner (a stolen access token plants no factor)', () => {
  it('without a second factor: the password; none, a wrong one or an x-otp alone are refused', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
    const code = codeAt(t, secret);
    const none = await expectAuthError(confirm(t, accountId, code, {}), 'validation_failed');
    expect({ message: none.message, details: none.details }).toEqual({
      message: 'The password is required.',
      details: [{ path: 'password', message: 'is required' }],
    });
    await expectAuthError(confirm(t, accountId, code, { password: 'not the password' }), 'invalid_credentials');
    await expectAuthError(confirm(t, accountId, code, { otp: code }), 'validation_failed');
    expect((await readAccount(t.storage, accountId)).totpSecretSealed).toBeNull();
    await confirm(t, accountId, code);
    expect((await readAccount(t.storage, accountId)).totpSecretSealed).not.toBeNull();
  });

  it('with a second factor: x-otp of a factor it already has, never the password or the new code itself', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret: owners, recoveryCodes } = await enableTotp(t, accountId);
    const enabled = (await readAccount(t.storage, accountId)).totpSecretSealed;
    const { secret: attackers } = await t.auth.enrolTotp({ group: 'default', accountId });
    const code = codeAt(t, attackers);

    const none = await expectAuthError(confirm(t, accountId, code, {}), 'validation_failed');
    expect(none.details).toEqual([{ path: 'x-otp', message: 'is required' }]);
    const password = await expectAuthError(confirm(t, accountId, code, { password: PASSWORD }), 'validation_failed');
    expect(password.details).toEqual([{ path: 'x-otp', message: 'is required' }]);
    await expectAuthError(confirm(t, accountId, code, { otp: wrongCode(codeAt(t, owners)) }), 'invalid_two_factor');
    await expectAuthError(confirm(t, accountId, code, { otp: code }), 'invalid_two_factor');
    expect((await readAccount(t.storage, accountId)).totpSecretSealed).toBe(enabled);

    // A mistyped pending code spends no proof: the recovery code is still there afterwards.
    await expectAuthError(confirm(t, accountId, wrongCode(code), { otp: recoveryCodes[0]! }), 'invalid_two_factor');
    expect((await readAccount(t.storage, accountId)).recoveryCodesRemaining).toBe(10);
    const { recoveryCodes: fresh } = await confirm(t, accountId, code, { otp: recoveryCodes[0]! });
    expect(fresh).toHaveLength(10);
    expect((await readAccount(t.storage, accountId)).totpSecretSealed).not.toBe(enabled);
  });
});
