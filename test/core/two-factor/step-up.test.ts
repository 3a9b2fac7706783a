import { describe, expect, it } from 'vitest';
import { memoryRateLimiter } from '../../../src/adapters/rate-limit/memory.js';
import type { AuthContext } from '../../../src/core/context.js';
import { assertStepUp, type StepUpProof } from '../../../src/core/two-factor/step-up.js';
import {
  SECOND_FACTOR_DAILY_RULE,
  SECOND_FACTOR_RULE,
  secondFactorThrottle,
} from '../../../src/core/two-factor/throttle.js';
import { createTestAuth, expectAuthError, fastHasher, PASSWORD, type TestAuth } from '../helpers.js';
import { codeAt, coreContext, enableTotp, readAccount, signedInAccount, wrongCode } from './helpers.js';

const OTP_REQUIRED = 'An x-otp header (a current authenticator code or a recovery code) is required.';
const PROOF_REQUIRED = 'An x-otp header (a current authenticator code or a recovery code) or the password is required.';

/** A context with the real rate limiter and hasher of a test instance, so throttling is observable. */
function stepUpContext(t: TestAuth): AuthContext {
  return {
    ...coreContext(t),
    rateLimiter: memoryRateLimiter(),
    hasher: fastHasher(),
    dummyHash: () => fastHasher().hash('dummy password'),
  } as AuthContext;
}

async function setup() {
  const t = createTestAuth();
  const { accountId } = await signedInAccount(t);
  const { secret, recoveryCodes } = await enableTotp(t, accountId);
  const ctx = stepUpContext(t);
  const stepUp = async (proof: StepUpProof) => assertStepUp(ctx, await readAccount(t.storage, accountId), proof);
  return { t, ctx, accountId, secret, recoveryCodes, stepUp };
}

describe('assertStepUp', () => {
  it('without a proof: validation_failed naming what is accepted', async () => {
    const { stepUp } = await setup();
    for (const otp of [undefined, null, '', '   ']) {
      const onlyOtp = await expectAuthError(stepUp({ otp, allowPassword: false }), 'validation_failed');
      expect({ message: onlyOtp.message, details: onlyOtp.details }).toEqual({
        message: OTP_REQUIRED,
        details: [{ path: 'x-otp', message: 'is required' }],
      });
      const either = await expectAuthError(stepUp({ otp, allowPassword: true }), 'validation_failed');
      expect({ message: either.message, details: either.details }).toEqual({
        message: PROOF_REQUIRED,
        details: [{ path: 'password', message: 'is required without an x-otp header' }],
      });
    }
  });

  it('accepts a current TOTP code once: it cannot be replayed', async () => {
    const { stepUp, t, secret } = await setup();
    const code = codeAt(t, secret);
    await stepUp({ otp: code, allowPassword: false });
    await expectAuthError(stepUp({ otp: code, allowPassword: false }), 'invalid_two_factor');
    await stepUp({ otp: codeAt(t, secret, 1), allowPassword: false });
  });

  it('accepts a recovery code once (it is consumed)', async () => {
    const { stepUp, recoveryCodes, t, accountId } = await setup();
    await stepUp({ otp: recoveryCodes[0]!, allowPassword: false });
    expect((await readAccount(t.storage, accountId)).recoveryCodesRemaining).toBe(9);
    const error = await expectAuthError(stepUp({ otp: recoveryCodes[0]!, allowPassword: false }), 'invalid_two_factor');
    expect(error.message).toBe('The two-factor code is not valid.');
  });

  it('accepts the password only where allowed; a wrong one is invalid_credentials', async () => {
    const { stepUp } = await setup();
    await stepUp({ password: PASSWORD, allowPassword: true });
    await expectAuthError(stepUp({ password: PASSWORD, allowPassword: false }), 'validation_failed');
    const wrong = await expectAuthError(stepUp({ password: 'not the password', allowPassword: true }), 'invalid_credentials');
    expect(wrong.message).toBe('The password is incorrect.');
  });

  it('an otp, when given, is the proof: a wrong code fails even beside the right password', async () => {
    const { stepUp, t, secret } = await setup();
    const otp = wrongCode(codeAt(t, secret));
    await expectAuthError(stepUp({ otp, password: PASSWORD, allowPassword: true }), 'invalid_two_factor');
  });

  it('a TOTP code of an account without TOTP is refused', async () => {
    const t = createTestAuth();
    const { accountId } = await signedInAccount(t);
    const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
    const ctx = stepUpContext(t);
    await expectAuthError(
      assertStepUp(ctx, await readAccount(t.storage, accountId), { otp: codeAt(t, secret), allowPassword: false }),
      'invalid_two_factor',
    );
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

  it('the daily cap holds across 15-minute windows, and a correct proof does not give the day back', async () => {
    const { stepUp, ctx, t, secret, accountId } = await setup();
    const guess = () =>
      expectAuthError(stepUp({ otp: wrongCode(codeAt(t, secret)), allowPassword: false }), 'invalid_two_factor');
    // Four 15-minute windows of 5 wrong codes: each within the 15-minute rule. The memory limiter runs on
    // real time, so the window's end is played by resetting that rule's counter, not by the clock.
    for (let window = 0; window < 4; window++) {
      for (let i = 0; i < 5; i++) await guess();
      await ctx.rateLimiter.reset(SECOND_FACTOR_RULE, `default:${accountId}`);
      if (window === 1) {
        // The owner signs in with a right code in between: the attacker's day is not reset by it.
        await stepUp({ otp: codeAt(t, secret), allowPassword: false });
        t.clock.advance(30);
      }
    }
    // 20 wrong proofs today: even a right, unused code is refused, for longer than 15 minutes.
    const limited = await expectAuthError(stepUp({ otp: codeAt(t, secret), allowPassword: false }), 'rate_limited');
    expect(limited.retryAfter).toBeGreaterThan(900);
    expect(limited.retryAfter).toBeLessThanOrEqual(86_400);
    // Another account is unaffected.
    await secondFactorThrottle(ctx, 'default', 'acc_other').check();
  });

  it('after 5 wrong codes even a right one is refused with rate_limited and retryAfter', async () => {
    const { stepUp, t, secret, accountId } = await setup();
    for (let i = 0; i < 5; i++) {
      await expectAuthError(stepUp({ otp: wrongCode(codeAt(t, secret)), allowPassword: false }), 'invalid_two_factor');
    }
    const limited = await expectAuthError(stepUp({ otp: codeAt(t, secret), allowPassword: false }), 'rate_limited');
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect(limited.retryAfter).toBeLessThanOrEqual(900);
    // The refused right code was not used up.
    const confirmingStep = Math.floor(t.clock.now().getTime() / 30_000) - 1;
    expect((await readAccount(t.storage, accountId)).totpLastUsedStep).toBe(confirmingStep);
  });

  it('counts concurrent wrong guesses up front: of 20 at once, at most 5 are checked', async () => {
    const { stepUp, recoveryCodes } = await setup();
    const guesses = Array.from({ length: 20 }, (_, i) => stepUp({ otp: `${i}`.padStart(6, '9'), allowPassword: false }));
    const results = await Promise.allSettled(guesses);
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    expect(codes.filter((c) => c === 'invalid_two_factor')).toHaveLength(5);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(15);
    await expectAuthError(stepUp({ otp: recoveryCodes[0]!, allowPassword: false }), 'rate_limited');
  });

  it('a correct proof clears the failures before it', async () => {
    const { stepUp, t, secret } = await setup();
    for (let i = 0; i < 4; i++) {
      await expectAuthError(stepUp({ otp: wrongCode(codeAt(t, secret)), allowPassword: false }), 'invalid_two_factor');
    }
    await stepUp({ otp: codeAt(t, secret), allowPassword: false });
    for (let i = 0; i < 5; i++) {
      await expectAuthError(stepUp({ otp: wrongCode(codeAt(t, secret, 1)), allowPassword: false }), 'invalid_two_factor');
    }
    await expectAuthError(stepUp({ otp: codeAt(t, secret, 1), allowPassword: false }), 'rate_limited');
  });

  it('is per account, and shared with every other user of secondFactorThrottle (login)', async () => {
    const { stepUp, ctx, accountId, t, secret } = await setup();
    const throttle = secondFactorThrottle(ctx, 'default', accountId);
    for (let i = 0; i < 5; i++) await throttle.admit();
    await expectAuthError(throttle.check(), 'rate_limited');
    await expectAuthError(stepUp({ otp: codeAt(t, secret), allowPassword: false }), 'rate_limited');
    // Another account is unaffected.
    await secondFactorThrottle(ctx, 'default', 'acc_other').check();
    await throttle.succeed();
    await throttle.check();
    await stepUp({ otp: codeAt(t, secret), allowPassword: false });
  });

  it('wrong passwords count against the login throttle, not the second-factor one', async () => {
    const { stepUp, t, secret, ctx, accountId } = await setup();
    for (let i = 0; i < 10; i++) {
      await expectAuthError(stepUp({ password: `wrong ${i}`, allowPassword: true }), 'invalid_credentials');
    }
    await expectAuthError(stepUp({ password: PASSWORD, allowPassword: true }), 'rate_limited');
    await secondFactorThrottle(ctx, 'default', accountId).check();
    await stepUp({ otp: codeAt(t, secret), allowPassword: true });
  });
});
