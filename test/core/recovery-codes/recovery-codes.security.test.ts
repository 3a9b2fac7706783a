import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import { createKeyedHash } from '../../../src/core/lib/keyed-hash.js';
import {
  consumeRecoveryCode,
  generateRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_BITS,
} from '../../../src/core/internal/recovery-codes/generate-recovery-codes.js';
import type { AuthEvent, Storage } from '../../../src/index.js';
import { createTestAuth, expectAuthError, PASSWORD, TEST_SECRET } from '../helpers.js';
import { codeAt, coreContext, enableTotp, readAccount, signedInAccount } from '../two-factor/helpers.js';
import { proxyStorage } from '../../support/storage-proxy.js';

const FORMAT = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;
const keyedHash = createKeyedHash(TEST_SECRET, 'latchkey/codes');
const OTP_REQUIRED = 'An x-otp header (a current second factor: an authenticator code, a code sent to you, or a recovery code) is required.';

/** Memory storage that remembers every argument and every result that crossed the port, as JSON. */
function recordingStorage(): { storage: Storage; traffic: string[] } {
  const traffic: string[] = [];
  const storage = proxyStorage(memoryStorage(), async (_repository, _method, args, call) => {
    traffic.push(JSON.stringify(args));
    const result = await call();
    traffic.push(JSON.stringify(result ?? null));
    return result;
  });
  return { storage, traffic };
}

describe('recovery codes: format and entropy', () => {
  it('a set is 10 distinct codes of 3 groups of 5 lower-case Crockford base32 symbols (75 bits each)', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { recoveryCodes } = await enableTotp(t, accountId);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(FORMAT);
    expect(RECOVERY_CODE_BITS).toBe(75);
    expect(RECOVERY_CODE_BITS).toBeGreaterThanOrEqual(60);
  });

  it('every symbol of the 32-symbol alphabet turns up, evenly enough (no bias from the CSPRNG mapping)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      for (const c of generateRecoveryCode().replaceAll('-', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    // 30,000 symbols: each expected 937.5 times; ±25% is > 8 standard deviations.
    for (const [, n] of counts) expect(Math.abs(n - 937.5)).toBeLessThan(235);
    expect([...counts.keys()].some((c) => 'ilou'.includes(c))).toBe(false);
  });

  it('normalisation accepts any case, missing or extra dashes and spaces, and look-alikes', () => {
    expect(normalizeRecoveryCode('abcde-fghjk-mnpqr')).toBe('abcdefghjkmnpqr');
    expect(normalizeRecoveryCode('ABCDE-FGHJK-MNPQR')).toBe('abcdefghjkmnpqr');
    expect(normalizeRecoveryCode('abcdefghjkmnpqr')).toBe('abcdefghjkmnpqr');
    expect(normalizeRecoveryCode('  abcde -- fghjk   mnpqr ')).toBe('abcdefghjkmnpqr');
    expect(normalizeRecoveryCode('a-b-c-d-e-f-g-h-j-k-m-n-p-q-r')).toBe('abcdefghjkmnpqr');
    expect(normalizeRecoveryCode('O0000-IL111-00000')).toBe('000001111100000');
    const bad = ['', 'abcde-fghjk', 'abcde-fghjk-mnpqr-s', 'abcde-fghjk-mnpqu', 'abcde_fghjk_mnpqr', 'x'.repeat(65), '123456'];
    for (const input of bad) {
      expect(normalizeRecoveryCode(input), input).toBeNull();
    }
  });
});

describe('recovery codes: storage', () => {
  it('only keyed hashes of the codes ever reach storage', async () => {
    const { storage, traffic } = recordingStorage();
    const t = createTestAuth({ storage });
    const { accountId } = await signedInAccount(t);
    const { secret, recoveryCodes } = await enableTotp(t, accountId);
    const regenerate = (proof: { otp?: string; password?: string }) =>
      t.auth.regenerateRecoveryCodes({ group: 'default', accountId, ...proof });
    const { recoveryCodes: regenerated } = await regenerate({ otp: codeAt(t, secret) });
    await regenerate({ otp: regenerated[0]! });

    const all = traffic.join('\n');
    for (const code of [...recoveryCodes, ...regenerated]) {
      const canonical = code.replaceAll('-', '');
      for (const needle of [code, canonical, code.toUpperCase(), createHash('sha256').update(canonical).digest('base64url')]) {
        expect(all).not.toContain(needle);
      }
      expect(all).toContain(keyedHash(canonical));
    }
  });

  it('recoveryCodesRemaining in the account resource follows issue, use and regeneration', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    expect((await t.auth.getAccount({ group: 'default', accountId })).twoFactor.recoveryCodesRemaining).toBe(0);
    const { secret, recoveryCodes } = await enableTotp(t, accountId);
    const remaining = async () => (await t.auth.getAccount({ group: 'default', accountId })).twoFactor.recoveryCodesRemaining;
    expect(await remaining()).toBe(10);
    const ctx = coreContext(t);
    for (const code of recoveryCodes.slice(0, 3)) {
      expect(await consumeRecoveryCode(ctx, await readAccount(t.storage, accountId), code)).toBe(true);
    }
    expect(await remaining()).toBe(7);
    await t.auth.regenerateRecoveryCodes({ group: 'default', accountId, otp: codeAt(t, secret) });
    expect(await remaining()).toBe(10);
  });
});

describe('recovery codes: use', () => {
  it('each code works once, in any spelling', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { recoveryCodes } = await enableTotp(t, accountId);
    const ctx = coreContext(t);
    const account = await readAccount(t.storage, accountId);
    const [code] = recoveryCodes as [string];
    expect(await consumeRecoveryCode(ctx, account, ` ${code.toUpperCase().replaceAll('-', ' ')} `)).toBe(true);
    expect(await consumeRecoveryCode(ctx, account, code)).toBe(false);
    expect(await consumeRecoveryCode(ctx, account, code.replaceAll('-', ''))).toBe(false);
    // The others still work.
    expect(await consumeRecoveryCode(ctx, account, recoveryCodes[1]!.replaceAll('-', ''))).toBe(true);
  });

  it("refuses codes that are not the account's: malformed, made up, another account's", async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    await enableTotp(t, accountId);
    await t.auth.register({ email: 'eve@example.com', password: PASSWORD });
    const eve = (await t.storage.accounts.findByEmail('default', 'eve@example.com'))!;
    const { recoveryCodes: eveCodes } = await enableTotp(t, eve.id);
    const ctx = coreContext(t);
    const account = await readAccount(t.storage, accountId);
    for (const code of ['', 'nope', generateRecoveryCode(), eveCodes[0]!]) {
      expect(await consumeRecoveryCode(ctx, account, code)).toBe(false);
    }
    expect((await readAccount(t.storage, accountId)).recoveryCodesRemaining).toBe(10);
    expect((await readAccount(t.storage, eve.id)).recoveryCodesRemaining).toBe(10);
  });

  it('20 concurrent uses of one code: exactly one succeeds', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { recoveryCodes } = await enableTotp(t, accountId);
    const ctx = coreContext(t);
    const account = await readAccount(t.storage, accountId);
    const results = await Promise.all(Array.from({ length: 20 }, () => consumeRecoveryCode(ctx, account, recoveryCodes[0]!)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await readAccount(t.storage, accountId)).recoveryCodesRemaining).toBe(9);
  });
});

describe('regenerateRecoveryCodes', () => {
  it('with a second-factor proof: 10 new codes, every old code dead, an event', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret, recoveryCodes: old } = await enableTotp(t, accountId);
    const events: AuthEvent<'account.recovery-codes-regenerated'>[] = [];
    t.auth.events.on('account.recovery-codes-regenerated', (e) => void events.push(e));

    const { recoveryCodes } = await t.auth.regenerateRecoveryCodes({ group: 'default', accountId, otp: codeAt(t, secret) });
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(FORMAT);
    expect(recoveryCodes.filter((c) => old.includes(c))).toEqual([]);

    const ctx = coreContext(t);
    const account = await readAccount(t.storage, accountId);
    for (const code of old) expect(await consumeRecoveryCode(ctx, account, code)).toBe(false);
    expect(await consumeRecoveryCode(ctx, account, recoveryCodes[9]!)).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]!.data.account.twoFactor.recoveryCodesRemaining).toBe(10);
  });

  it('with a current TOTP code or a recovery code (spent, then replaced with the rest)', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret, recoveryCodes } = await enableTotp(t, accountId);
    const totp = codeAt(t, secret);
    const first = await t.auth.regenerateRecoveryCodes({ group: 'default', accountId, otp: totp });
    // The TOTP code is used up: the same code is not a second proof.
    await expectAuthError(t.auth.regenerateRecoveryCodes({ group: 'default', accountId, otp: totp }), 'invalid_two_factor');
    // Codes of the replaced set are no proof either.
    const replaced = t.auth.regenerateRecoveryCodes({ group: 'default', accountId, otp: recoveryCodes[0]! });
    await expectAuthError(replaced, 'invalid_two_factor');
    const second = await t.auth.regenerateRecoveryCodes({ group: 'default', accountId, otp: first.recoveryCodes[0]! });
    expect(second.recoveryCodes).toHaveLength(10);
    await expectAuthError(
      t.auth.regenerateRecoveryCodes({ group: 'default', accountId, otp: first.recoveryCodes[1]! }),
      'invalid_two_factor',
    );
  });

  it('with a second factor on: the password alone never mints codes (phished password → refused); a current factor does', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret, recoveryCodes } = await enableTotp(t, accountId);
    const none = await expectAuthError(t.auth.regenerateRecoveryCodes({ group: 'default', accountId }), 'validation_failed');
    expect({ message: none.message, details: none.details }).toEqual({ message: OTP_REQUIRED, details: [{ path: 'x-otp', message: 'is required' }] });
    const regenerate = (proof: { otp?: string; password?: string }) =>
      t.auth.regenerateRecoveryCodes({ group: 'default', accountId, ...proof });
    // The attack: a real-time phishing proxy holds the password and a session, and mints codes with them.
    const phished = await expectAuthError(regenerate({ password: PASSWORD }), 'validation_failed');
    expect(phished.details).toEqual([{ path: 'x-otp', message: 'is required' }]);
    await expectAuthError(regenerate({ otp: generateRecoveryCode() }), 'invalid_two_factor');
    await expectAuthError(regenerate({ otp: '000000' }), 'invalid_two_factor');
    // Nothing changed.
    expect(await consumeRecoveryCode(coreContext(t), await readAccount(t.storage, accountId), recoveryCodes[0]!)).toBe(true);

    t.clock.advance(30);
    const { recoveryCodes: renewed } = await regenerate({ otp: codeAt(t, secret) });
    expect(renewed).toHaveLength(10);
    const account = await readAccount(t.storage, accountId);
    expect(await consumeRecoveryCode(coreContext(t), account, recoveryCodes[1]!)).toBe(false);
    expect(await consumeRecoveryCode(coreContext(t), account, renewed[0]!)).toBe(true);
    // The owner is told.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(t.outbox.messages.filter((m) => m.kind === 'security-change').at(-1)?.text).toContain('New recovery codes were made');
  });

  it('works without a second factor with the password (recovery codes also unlock a panic-locked account)', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    // Right after signing in, too: a recent sign-in is no proof for minting recovery codes.
    const none = await expectAuthError(t.auth.regenerateRecoveryCodes({ group: 'default', accountId }), 'validation_failed');
    expect({ message: none.message, details: none.details }).toEqual({
      message: 'The password is required.',
      details: [{ path: 'password', message: 'is required' }],
    });
    const wrong = t.auth.regenerateRecoveryCodes({ group: 'default', accountId, password: 'wrong password' });
    await expectAuthError(wrong, 'invalid_credentials');
    const { recoveryCodes } = await t.auth.regenerateRecoveryCodes({ group: 'default', accountId, password: PASSWORD });
    expect(recoveryCodes).toHaveLength(10);
    const account = await t.auth.getAccount({ group: 'default', accountId });
    expect(account.twoFactor).toEqual({ enabled: false, methods: [], recoveryCodesRemaining: 10 });
  });
});
