import { describe, expect, it } from 'vitest';
import { factorChangeNeedsProof, RECENT_SIGN_IN_SECONDS } from '../../../src/core/two-factor/factor-change-proof.js';
import { lastSmsCode, PHONE } from '../otp/helpers.js';
import { createTestAuth, decodeJwt, expectAuthError, PASSWORD, type TestAuth } from '../helpers.js';
import { codeAt, coreContext, enableTotp, readAccount, wrongCode } from './helpers.js';

const group = 'default';
const EMAIL = 'ada@example.com';
const PASSWORD_DETAIL = [{ path: 'password', message: 'is required' }];
const OTP_DETAIL = [{ path: 'x-otp', message: 'is required' }];

const sidOf = (accessToken: string): string => decodeJwt(accessToken).payload.sid as string;

/** Registers and signs Ada in; returns her account id and the session id (`sid`) of that sign-in. */
async function signedIn(t: TestAuth): Promise<{ accountId: string; sessionId: string }> {
  await t.auth.register({ email: EMAIL, password: PASSWORD });
  const tokens = await t.auth.login({ email: EMAIL, password: PASSWORD });
  return { accountId: tokens.account.id, sessionId: sidOf(tokens.accessToken) };
}

/** Starts an authenticator enrolment and returns a current code of the pending secret. */
async function pendingCode(t: TestAuth, accountId: string): Promise<string> {
  const { secret } = await t.auth.enrolTotp({ group, accountId });
  return codeAt(t, secret);
}

/** Adds the phone (texting a code) and returns that code. */
async function textedCode(t: TestAuth, accountId: string): Promise<string> {
  await t.auth.addPhone({ group, accountId, phone: PHONE });
  return lastSmsCode(t);
}

const methods = async (t: TestAuth, accountId: string) => (await t.auth.getAccount({ group, accountId })).twoFactor.methods;

describe('fresh proof for factor changes: a recent sign-in is the proof', () => {
  it('a session opened in the last 10 minutes confirms TOTP and enables a channel with the code alone', async () => {
    expect(RECENT_SIGN_IN_SECONDS).toBe(600);
    const t = createTestAuth();
    const { accountId, sessionId } = await signedIn(t);
    t.clock.advance(RECENT_SIGN_IN_SECONDS); // exactly 10 minutes: still recent
    const { recoveryCodes } = await t.auth.confirmTotp({ group, accountId, code: await pendingCode(t, accountId), sessionId });
    expect(recoveryCodes).toHaveLength(10);

    // With TOTP now on, the same recent session adds SMS with its code alone as well.
    const account = await t.auth.verifyChannel({
      group,
      accountId,
      channel: 'sms',
      code: await textedCode(t, accountId),
      sessionId,
    });
    expect(account.twoFactor.methods).toEqual(['totp', 'sms']);
  });

  it('with a second factor, a session just signed in with it replaces the authenticator with the code alone', async () => {
    const t = createTestAuth();
    const { accountId } = await signedIn(t);
    const { secret } = await enableTotp(t, accountId);
    const tokens = await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: codeAt(t, secret) });
    const sessionId = sidOf(tokens.accessToken);
    const { secret: next } = await t.auth.enrolTotp({ group, accountId });
    await t.auth.confirmTotp({ group, accountId, code: codeAt(t, next), sessionId });
    expect((await readAccount(t.storage, accountId)).totpPendingSecretSealed).toBeFalsy();
    // The old authenticator is gone: its code no longer signs in.
    t.clock.advance(30);
    const old = t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: codeAt(t, secret) });
    await expectAuthError(old, 'invalid_two_factor');
  });
});

describe('fresh proof for factor changes: a stolen token from an older session plants no factor', () => {
  it('a session older than 10 minutes needs the password (no second factor yet) for TOTP and channels', async () => {
    const t = createTestAuth();
    const { accountId, sessionId } = await signedIn(t);
    t.clock.advance(RECENT_SIGN_IN_SECONDS + 1);
    const code = await pendingCode(t, accountId);
    const totp = await expectAuthError(t.auth.confirmTotp({ group, accountId, code, sessionId }), 'validation_failed');
    expect(totp.details).toEqual(PASSWORD_DETAIL);
    const sms = await textedCode(t, accountId);
    const channel = t.auth.verifyChannel({ group, accountId, channel: 'sms', code: sms, sessionId });
    expect((await expectAuthError(channel, 'validation_failed')).details).toEqual(PASSWORD_DETAIL);
    expect(await methods(t, accountId)).toEqual([]);

    // The owner, with the password, still can (the SMS code was not spent by the refused attempt).
    await t.auth.verifyChannel({ group, accountId, channel: 'sms', code: sms, sessionId, password: PASSWORD });
    expect(await methods(t, accountId)).toEqual(['sms']);
  });

  it('a session older than 10 minutes needs x-otp with a second factor on; the password is no proof', async () => {
    const t = createTestAuth();
    const { accountId, sessionId } = await signedIn(t);
    const { secret } = await enableTotp(t, accountId, { password: PASSWORD });
    t.clock.advance(RECENT_SIGN_IN_SECONDS + 1);
    const code = await pendingCode(t, accountId);
    for (const proof of [{}, { password: PASSWORD }]) {
      const refused = t.auth.confirmTotp({ group, accountId, code, sessionId, ...proof });
      expect((await expectAuthError(refused, 'validation_failed')).details).toEqual(OTP_DETAIL);
    }
    const sms = await textedCode(t, accountId);
    const channel = t.auth.verifyChannel({ group, accountId, channel: 'sms', code: sms, sessionId });
    expect((await expectAuthError(channel, 'validation_failed')).details).toEqual(OTP_DETAIL);
    expect(await methods(t, accountId)).toEqual(['totp']);
    await t.auth.confirmTotp({ group, accountId, code, sessionId, otp: codeAt(t, secret) });
  });

  it('refreshing does not make a session recent; an unknown, foreign or revoked session is no proof', async () => {
    const t = createTestAuth();
    await t.auth.register({ email: EMAIL, password: PASSWORD });
    const first = await t.auth.login({ email: EMAIL, password: PASSWORD });
    const accountId = first.account.id;
    t.clock.advance(RECENT_SIGN_IN_SECONDS + 1);
    const refreshed = await t.auth.refresh({ refreshToken: first.refreshToken });
    expect(sidOf(refreshed.accessToken)).toBe(sidOf(first.accessToken));

    await t.auth.register({ email: 'eve@example.com', password: PASSWORD });
    const eve = sidOf((await t.auth.login({ email: 'eve@example.com', password: PASSWORD })).accessToken);
    const recent = sidOf((await t.auth.login({ email: EMAIL, password: PASSWORD })).accessToken);
    await t.auth.revokeSession({ group, accountId, sessionId: recent });

    const ctx = coreContext(t);
    const account = await readAccount(t.storage, accountId);
    for (const sessionId of [sidOf(refreshed.accessToken), 'no-such-session', eve, recent, null, undefined, '']) {
      expect(await factorChangeNeedsProof(ctx, account, { sessionId }), String(sessionId)).toBe(true);
    }
    const code = await pendingCode(t, accountId);
    await expectAuthError(t.auth.confirmTotp({ group, accountId, code, sessionId: eve }), 'validation_failed');
    await expectAuthError(t.auth.confirmTotp({ group, accountId, code, sessionId: recent }), 'validation_failed');
    expect(await methods(t, accountId)).toEqual([]);
  });

  it('regenerating recovery codes always needs x-otp or the password, even right after signing in', async () => {
    const t = createTestAuth();
    const { accountId } = await signedIn(t);
    await expectAuthError(t.auth.regenerateRecoveryCodes({ group, accountId }), 'validation_failed');
    const { recoveryCodes } = await t.auth.regenerateRecoveryCodes({ group, accountId, password: PASSWORD });
    expect(recoveryCodes).toHaveLength(10);
  });
});

describe('fresh proof for factor changes: an offered proof is always checked', () => {
  it('a wrong password is refused even on a fresh session, and nothing is added', async () => {
    const t = createTestAuth();
    const { accountId, sessionId } = await signedIn(t);
    const code = await pendingCode(t, accountId);
    const totp = t.auth.confirmTotp({ group, accountId, code, sessionId, password: `${PASSWORD}!` });
    await expectAuthError(totp, 'invalid_credentials');
    const channel = t.auth.verifyChannel({
      group,
      accountId,
      channel: 'sms',
      code: await textedCode(t, accountId),
      sessionId,
      password: `${PASSWORD}!`,
    });
    await expectAuthError(channel, 'invalid_credentials');
    // An x-otp offered while the account has no second factor is the wrong kind of proof.
    const withOtp = t.auth.confirmTotp({ group, accountId, code, sessionId, otp: code });
    const otp = await expectAuthError(withOtp, 'validation_failed');
    expect(otp.details).toEqual(PASSWORD_DETAIL);
    expect(await methods(t, accountId)).toEqual([]);
  });

  it('with a second factor on, a wrong x-otp or the password is refused even on a fresh session', async () => {
    const t = createTestAuth();
    const { accountId } = await signedIn(t);
    const { secret } = await enableTotp(t, accountId);
    const tokens = await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: codeAt(t, secret) });
    const sessionId = sidOf(tokens.accessToken);
    const code = await pendingCode(t, accountId);
    const guessed = t.auth.confirmTotp({ group, accountId, code, sessionId, otp: wrongCode(codeAt(t, secret)) });
    await expectAuthError(guessed, 'invalid_two_factor');
    const withPassword = t.auth.confirmTotp({ group, accountId, code, sessionId, password: PASSWORD });
    const password = await expectAuthError(withPassword, 'validation_failed');
    expect(password.details).toEqual(OTP_DETAIL);
    const sms = t.auth.verifyChannel({
      group,
      accountId,
      channel: 'sms',
      code: await textedCode(t, accountId),
      sessionId,
      otp: wrongCode(codeAt(t, secret)),
    });
    await expectAuthError(sms, 'invalid_two_factor');
    expect(await methods(t, accountId)).toEqual(['totp']);
    expect((await readAccount(t.storage, accountId)).totpPendingSecretSealed).toBeTruthy();
  });
});
