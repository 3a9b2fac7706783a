import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/adapters/logger/silent.js';
import { memoryRateLimiter } from '../../../src/adapters/rate-limit/memory.js';
import type { AuthContext } from '../../../src/core/context.js';
import type { AccountRecord, RateLimiter } from '../../../src/core/ports.js';
import { verifyCurrentSecondFactor } from '../../../src/core/internal/two-factor/current-second-factor.js';
import {
  assertFactorChangeProof,
  type FactorChangeProof,
  factorChangeProofKind,
} from '../../../src/core/internal/two-factor/factor-change-proof.js';
import {
  SECOND_FACTOR_DAILY_RULE,
  SECOND_FACTOR_RULE,
  secondFactorThrottle,
} from '../../../src/core/internal/two-factor/throttle.js';
import { createTestAuth, expectAuthError, fastHasher, PASSWORD, type TestAuth } from '../helpers.js';
import { lastMailCode, lastSmsCode, PHONE } from '../otp/helpers.js';
import { codeAt, coreContext, enableTotp, readAccount, verifiedAndSignedIn, wrongCode } from './helpers.js';

const group = 'default';
const EMAIL = 'ada@example.com';
const OTP_REQUIRED = {
  message:
    'An x-otp header (a current second factor: an authenticator code, a code sent to you, or a recovery code) is required.',
  details: [{ path: 'x-otp', message: 'is required' }],
};
const PASSWORD_REQUIRED = { message: 'The password is required.', details: [{ path: 'password', message: 'is required' }] };
/** The owner's own client: it signed in successfully (before TOTP was turned on). */
const OWNER_IP = '198.51.100.7';

/**
 * A context for calling the primitives directly over a test instance's storage, clock and rate limiter,
 * so that the instance's own flows (login's second step) and the direct calls count into the same budgets.
 */
function proofContext(t: TestAuth, rateLimiter: RateLimiter): AuthContext {
  const hasher = fastHasher();
  return {
    ...coreContext(t),
    rateLimiter,
    hasher,
    logger: silentLogger,
    dummyHash: () => hasher.hash('a dummy password'),
  } as AuthContext;
}

/** Ada, signed in once from {@link OWNER_IP}, then with TOTP on. */
async function setup() {
  const rateLimiter = memoryRateLimiter();
  const t = createTestAuth({ rateLimiter });
  const { accountId } = await verifiedAndSignedIn(t, { email: EMAIL, ip: OWNER_IP });
  const { secret, recoveryCodes } = await enableTotp(t, accountId);
  const ctx = proofContext(t, rateLimiter);
  const account = () => readAccount(t.storage, accountId);
  const verify = async (otp: string, ip?: string) => verifyCurrentSecondFactor(ctx, await account(), otp, ip);
  const prove = async (proof: FactorChangeProof) => assertFactorChangeProof(ctx, await account(), proof);
  /** A six-digit code that none of the three accepted steps (−1, 0, +1) would take. */
  const guess = (i = 0): string => {
    const valid = new Set([-1, 0, 1].map((offset) => codeAt(t, secret, offset)));
    let n = 100_000 + i;
    while (valid.has(String(n))) n += 1000;
    return String(n);
  };
  return { t, ctx, accountId, secret, recoveryCodes, account, verify, prove, guess };
}

/** An account with no second factor. */
async function withoutFactor() {
  const rateLimiter = memoryRateLimiter();
  const t = createTestAuth({ rateLimiter });
  const { accountId } = await verifiedAndSignedIn(t, { email: EMAIL });
  const ctx = proofContext(t, rateLimiter);
  const account = () => readAccount(t.storage, accountId);
  const prove = async (proof: FactorChangeProof) => assertFactorChangeProof(ctx, await account(), proof);
  return { t, ctx, accountId, account, prove };
}

describe('verifyCurrentSecondFactor', () => {
  it('takes a current TOTP code once: a replay is refused', async () => {
    const { t, secret, verify } = await setup();
    const code = codeAt(t, secret);
    await verify(code);
    const replay = await expectAuthError(verify(code), 'invalid_two_factor');
    expect(replay.message).toBe('The two-factor code is not valid.');
    await verify(codeAt(t, secret, 1));
  });

  it('takes an unused recovery code once (it is used up)', async () => {
    const { t, accountId, recoveryCodes, verify } = await setup();
    await verify(recoveryCodes[0]!);
    expect((await readAccount(t.storage, accountId)).recoveryCodesRemaining).toBe(9);
    await expectAuthError(verify(recoveryCodes[0]!), 'invalid_two_factor');
  });

  it('takes a code sendChannelCode sent to an enabled channel, once; a wrong code counts against it', async () => {
    const { t, accountId, secret, verify } = await setup();
    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    await t.auth.verifyChannel({ group, accountId, channel: 'email', code: lastMailCode(t), otp: codeAt(t, secret) });

    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    const code = lastMailCode(t);
    await expectAuthError(verify(wrongCode(code)), 'invalid_two_factor');
    expect(await t.storage.otpCodes.find(group, accountId, 'email', 'verify')).toMatchObject({ attempts: 1, consumedAt: null });
    await verify(code);
    await expectAuthError(verify(code), 'invalid_two_factor');
  });

  it('a code sent to a channel that is not enabled, or of a pending authenticator, proves nothing', async () => {
    const { t, accountId, verify } = await setup();
    await t.auth.addPhone({ group, accountId, phone: PHONE }); // texted, not enabled
    await expectAuthError(verify(lastSmsCode(t, PHONE)), 'invalid_two_factor');
    const { secret: pending } = await t.auth.enrolTotp({ group, accountId });
    await expectAuthError(verify(codeAt(t, pending)), 'invalid_two_factor');
    // Nor does anything prove an account that has no factor at all.
    const bare = await withoutFactor();
    const { secret } = await bare.t.auth.enrolTotp({ group, accountId: bare.accountId });
    const code = codeAt(bare.t, secret);
    await expectAuthError(verifyCurrentSecondFactor(bare.ctx, await bare.account(), code, null), 'invalid_two_factor');
  });
});

describe('assertFactorChangeProof', () => {
  it('once a second factor is on, owes x-otp: missing, blank or only the password → validation_failed (x-otp)', async () => {
    const { prove } = await setup();
    for (const otp of [undefined, null, '', '   ']) {
      for (const password of [undefined, PASSWORD]) {
        const refused = await expectAuthError(prove({ otp, password }), 'validation_failed');
        expect({ message: refused.message, details: refused.details }).toEqual(OTP_REQUIRED);
      }
    }
  });

  it('once a second factor is on, the code is the proof: a wrong one fails even beside the right password', async () => {
    const { prove, guess, t, secret } = await setup();
    await expectAuthError(prove({ otp: guess(), password: PASSWORD }), 'invalid_two_factor');
    await prove({ otp: codeAt(t, secret) });
  });

  it('any enabled factor makes the proof a code: TOTP, email codes, SMS codes; a pending authenticator does not', async () => {
    const { t, accountId, account } = await withoutFactor();
    const kind = async (): Promise<string> => factorChangeProofKind(await account());
    await t.auth.enrolTotp({ group, accountId });
    expect(await kind()).toBe('password');
    await t.auth.addPhone({ group, accountId, phone: PHONE });
    expect(await kind()).toBe('password');
    await t.auth.verifyChannel({ group, accountId, channel: 'sms', code: lastSmsCode(t, PHONE), password: PASSWORD });
    expect(await kind()).toBe('otp');

    const other = await withoutFactor();
    await other.t.auth.sendChannelCode({ group, accountId: other.accountId, channel: 'email' });
    const code = lastMailCode(other.t);
    await other.t.auth.verifyChannel({ group, accountId: other.accountId, channel: 'email', code, password: PASSWORD });
    expect(factorChangeProofKind(await other.account())).toBe('otp');
  });

  it('while no second factor is on, owes the password; a wrong one is invalid_credentials, a code is no substitute', async () => {
    const { prove } = await withoutFactor();
    for (const password of [undefined, null, '']) {
      const refused = await expectAuthError(prove({ password, otp: '123456' }), 'validation_failed');
      expect({ message: refused.message, details: refused.details }).toEqual(PASSWORD_REQUIRED);
    }
    const wrong = await expectAuthError(prove({ password: 'not the password' }), 'invalid_credentials');
    expect(wrong.message).toBe('The password is incorrect.');
    await prove({ password: PASSWORD });
  });

  it('wrong passwords count against the login throttle, not the second-factor one', async () => {
    const { prove, ctx, account } = await withoutFactor();
    for (let i = 0; i < 10; i++) await expectAuthError(prove({ password: `wrong ${i}` }), 'invalid_credentials');
    await expectAuthError(prove({ password: PASSWORD }), 'rate_limited');
    await secondFactorThrottle(ctx, await account()).check();
  });
});

describe('second-factor throttle', () => {
  it('is 5 wrong proofs per account per 15 minutes, named 2fa-account', () => {
    expect(SECOND_FACTOR_RULE).toEqual({ name: '2fa-account', points: 5, durationSeconds: 900 });
    expect(Object.isFrozen(SECOND_FACTOR_RULE)).toBe(true);
  });

  it('has a daily cap beside it: 20 wrong proofs per account per 24 hours, named 2fa-account-day', () => {
    expect(SECOND_FACTOR_DAILY_RULE).toEqual({ name: '2fa-account-day', points: 20, durationSeconds: 86_400 });
    expect(Object.isFrozen(SECOND_FACTOR_DAILY_RULE)).toBe(true);
  });

  it('after 5 wrong codes even a right one is refused with rate_limited, and the refused code is not used', async () => {
    const { verify, guess, t, secret, accountId } = await setup();
    const usedStep = (await readAccount(t.storage, accountId)).totpLastUsedStep;
    for (let i = 0; i < 5; i++) await expectAuthError(verify(guess(i)), 'invalid_two_factor');
    const limited = await expectAuthError(verify(codeAt(t, secret)), 'rate_limited');
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect(limited.retryAfter).toBeLessThanOrEqual(900);
    expect((await readAccount(t.storage, accountId)).totpLastUsedStep).toBe(usedStep);
  });

  it('counts concurrent wrong guesses up front: of 20 at once, 5 are checked', async () => {
    const { verify, guess, recoveryCodes, t, accountId } = await setup();
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => verify(guess(i))));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    expect(codes.filter((c) => c === 'invalid_two_factor')).toHaveLength(5);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(15);
    await expectAuthError(verify(recoveryCodes[0]!), 'rate_limited');
    expect((await readAccount(t.storage, accountId)).recoveryCodesRemaining).toBe(10);
  });

  it('a correct proof clears the failures before it', async () => {
    const { verify, guess, t, secret } = await setup();
    for (let i = 0; i < 4; i++) await expectAuthError(verify(guess(i)), 'invalid_two_factor');
    await verify(codeAt(t, secret));
    t.clock.advance(30);
    for (let i = 0; i < 5; i++) await expectAuthError(verify(guess(i)), 'invalid_two_factor');
    await expectAuthError(verify(codeAt(t, secret)), 'rate_limited');
  });

  it('is shared with login’s second step: wrong codes there leave no attempt for a factor change', async () => {
    const { t, ctx, verify, guess, secret } = await setup();
    for (let i = 0; i < 5; i++) {
      const login = t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: guess(i) });
      await expectAuthError(login, 'invalid_two_factor');
    }
    await expectAuthError(verify(codeAt(t, secret)), 'rate_limited');
    // Per account: another account is unaffected.
    await t.auth.register({ email: 'eve@example.com', password: PASSWORD });
    const eve = await t.storage.accounts.findByEmail(group, 'eve@example.com');
    await secondFactorThrottle(ctx, eve as AccountRecord).check();
  });

  it('strangers share one budget per account; the owner’s own client is not held by it, only by its own', async () => {
    const { verify, guess, t, secret } = await setup();
    for (let i = 0; i < 5; i++) await expectAuthError(verify(guess(i), '203.0.113.1'), 'invalid_two_factor');
    await expectAuthError(verify(codeAt(t, secret), '203.0.113.1'), 'rate_limited');
    // Another stranger, with a fresh budget of its own, is held by the shared one.
    await expectAuthError(verify(codeAt(t, secret), '203.0.113.2'), 'rate_limited');
    // The owner's client (it signed in since the last password change) still proves.
    await verify(codeAt(t, secret), OWNER_IP);
    // Its own budget holds it like anyone else.
    t.clock.advance(30);
    for (let i = 0; i < 5; i++) await expectAuthError(verify(guess(i), OWNER_IP), 'invalid_two_factor');
    await expectAuthError(verify(codeAt(t, secret), OWNER_IP), 'rate_limited');
  });

  it('the daily cap holds across 15-minute windows, and a correct proof does not give the day back', async () => {
    const { verify, guess, ctx, t, secret, accountId } = await setup();
    // Four 15-minute windows of 5 wrong codes, each from a new address (a fresh budget of its own). The
    // memory limiter runs on real time, so the end of a window is played by resetting the shared
    // 15-minute counter, not by the clock.
    for (let window = 0; window < 4; window++) {
      const ip = `203.0.113.${window + 1}`;
      for (let i = 0; i < 5; i++) await expectAuthError(verify(guess(i), ip), 'invalid_two_factor');
      await ctx.rateLimiter.reset(SECOND_FACTOR_RULE, `${group}:${accountId}`);
      if (window === 1) {
        // The owner proves with a right code in between: the strangers' day is not reset by it.
        await verify(codeAt(t, secret), OWNER_IP);
        t.clock.advance(30);
      }
    }
    // 20 wrong proofs today: a fresh stranger's right, unused code is refused for longer than 15 minutes.
    const limited = await expectAuthError(verify(codeAt(t, secret), '203.0.113.99'), 'rate_limited');
    expect(limited.retryAfter).toBeGreaterThan(900);
    expect(limited.retryAfter).toBeLessThanOrEqual(86_400);
  });
});
