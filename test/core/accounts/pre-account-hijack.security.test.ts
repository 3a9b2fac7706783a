import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import { forgetUnprovenSetup } from '../../../src/core/internal/accounts/forget-unproven-setup.js';
import type { AuthEvent, Storage } from '../../../src/index.js';
import { softwareAuthenticator, type SoftwareAuthenticator } from '../../../src/testing/webauthn/software-authenticator.js';
import { decodeJwt, expectAuthError, type TestAuth, tokenFromMail } from '../helpers.js';
import { lastSmsCode, otpContext, PHONE } from '../otp/helpers.js';
import { codeAt, enableTotp } from '../two-factor/helpers.js';
import { createPasskeyAuth, ORIGIN } from '../webauthn/helpers.js';
import { proxyStorage } from '../../support/storage-proxy.js';

/**
 * Pre-account hijacking: the attacker registers the victim's address before the victim does (signing
 * in needs no verification by default), signs in and sets up ways back in. The first proof of the
 * mailbox (the verification link, or a password reset) must leave them nothing of it.
 */

const G = 'default';
const EMAIL = 'victim@example.com';
const ATTACKER_PASSWORD = 'the squatter chose this one';
const OWNER_PASSWORD = 'the real owner of the mailbox';

type Tokens = Awaited<ReturnType<TestAuth['auth']['login']>>;

interface Squat {
  accountId: string;
  /** The attacker's sessions: one from before the set-up, one opened with the second factor after it. */
  sessions: Tokens[];
  authenticator: SoftwareAuthenticator;
  passkeyId: string;
  secret: string;
  recoveryCodes: string[];
  /** A passkey registration the attacker started and did not finish. */
  pendingRegistration: Awaited<ReturnType<TestAuth['auth']['webauthnRegistrationOptions']>>;
  /** The secret of an authenticator enrolment the attacker started and did not confirm. */
  pendingSecret: string;
}

/** The attacker's whole set-up on the victim's unverified address. */
async function squat(t: TestAuth): Promise<Squat> {
  await t.auth.register({ email: EMAIL, password: ATTACKER_PASSWORD });
  const first = await t.auth.login({ email: EMAIL, password: ATTACKER_PASSWORD });
  const accountId = first.account.id;

  const authenticator = softwareAuthenticator({ origin: ORIGIN });
  const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId });
  const credential = authenticator.register(options);
  const passkey = await t.auth.verifyWebauthnRegistration({ group: G, accountId, credential, password: ATTACKER_PASSWORD });

  const { secret, recoveryCodes } = await enableTotp(t, accountId, { password: ATTACKER_PASSWORD });
  await t.auth.addPhone({ group: G, accountId, phone: PHONE });
  await t.auth.verifyChannel({ group: G, accountId, channel: 'sms', code: lastSmsCode(t, PHONE), otp: codeAt(t, secret) });
  t.clock.advance(30);
  await t.auth.updateProfile({ group: G, accountId, patch: { allowSupportLogin: true } });
  const second = await t.auth.login({ email: EMAIL, password: ATTACKER_PASSWORD, twoFactorCode: codeAt(t, secret) });
  t.clock.advance(30);

  // Left half-way: a pending enrolment, a pending passkey registration and a code in flight.
  const { secret: pendingSecret } = await t.auth.enrolTotp({ group: G, accountId });
  const pendingRegistration = await t.auth.webauthnRegistrationOptions({ group: G, accountId });
  await t.auth.sendChannelCode({ group: G, accountId, channel: 'sms' });

  const stored = (await t.storage.accounts.findById(G, accountId))!;
  expect(stored).toMatchObject({ emailVerifiedAt: null, allowSupportLogin: true, recoveryCodesRemaining: 10 });
  expect(stored.totpPendingSecretSealed).not.toBeNull();
  return {
    accountId,
    sessions: [first, second],
    authenticator,
    passkeyId: passkey.id,
    secret,
    recoveryCodes,
    pendingRegistration,
    pendingSecret,
  };
}

/** The token of the verification mail registration sent to the victim's address. */
async function verificationToken(t: TestAuth): Promise<string> {
  return tokenFromMail(await t.outbox.waitFor((m) => m.kind === 'email-verification' && m.to === EMAIL));
}

/** Asks for a reset a second on (a token stamped with the account's last change is refused); its token. */
async function resetToken(t: TestAuth): Promise<string> {
  t.clock.advance(1);
  const seen = new Set(t.outbox.messages);
  await t.auth.requestPasswordReset({ email: EMAIL });
  return tokenFromMail(await t.outbox.waitFor((m) => m.kind === 'password-reset' && m.to === EMAIL && !seen.has(m)));
}

/**
 * Everything the attacker set up is gone: sessions, passkey, TOTP, phone, codes, support login.
 * `password` is the account's password by then (the squatter's, until a reset replaces it).
 */
async function expectNothingLeft(t: TestAuth, s: Squat, password = ATTACKER_PASSWORD): Promise<void> {
  for (const tokens of s.sessions) {
    await expectAuthError(t.auth.refresh({ refreshToken: tokens.refreshToken }), 'unauthenticated');
    await expectAuthError(t.auth.verifyAccessToken(tokens.accessToken), 'unauthenticated');
  }
  // The passkey no longer signs in, discoverable or email-first.
  const discoverable = s.authenticator.authenticate(await t.auth.webauthnLoginOptions());
  await expectAuthError(t.auth.verifyWebauthnLogin({ credential: discoverable }), 'invalid_credentials');
  expect(await t.storage.webauthnCredentials.listByAccount(G, s.accountId)).toEqual([]);
  const emailFirst = await t.auth.webauthnLoginOptions({ email: EMAIL });
  expect(emailFirst.allowCredentials?.map((c) => c.id) ?? []).not.toContain(s.passkeyId);

  // The half-finished passkey registration cannot be completed.
  await expectAuthError(
    t.auth.verifyWebauthnRegistration({
      group: G,
      accountId: s.accountId,
      credential: softwareAuthenticator({ origin: ORIGIN }).register(s.pendingRegistration),
      password,
    }),
    'invalid_token',
  );

  const account = (await t.storage.accounts.findById(G, s.accountId))!;
  expect(account).toMatchObject({
    totpSecretSealed: null,
    totpPendingSecretSealed: null,
    totpLastUsedStep: null,
    totpEnabledAt: null,
    phoneNumber: null,
    phoneVerifiedAt: null,
    smsOtpEnabledAt: null,
    emailOtpEnabledAt: null,
    recoveryCodesRemaining: 0,
    allowSupportLogin: false,
  });
  expect(account.emailVerifiedAt).not.toBeNull();
  expect(await t.storage.otpCodes.find(G, s.accountId, 'sms', 'verify')).toBeNull();
  const resource = await t.auth.getAccount({ group: G, accountId: s.accountId });
  expect(resource.twoFactor).toEqual({ enabled: false, methods: [], recoveryCodesRemaining: 0 });
  expect(resource.phone).toEqual({ number: null, verified: false, verifiedAt: null });
}

/** Records the events the first proof emits. */
function recordEvents(t: TestAuth) {
  const revoked: AuthEvent<'session.revoked'>[] = [];
  const disabled: AuthEvent<'account.two-factor-disabled'>[] = [];
  const removed: AuthEvent<'webauthn.credential-removed'>[] = [];
  t.auth.events.on('session.revoked', (e) => void revoked.push(e));
  t.auth.events.on('account.two-factor-disabled', (e) => void disabled.push(e));
  t.auth.events.on('webauthn.credential-removed', (e) => void removed.push(e));
  return { revoked, disabled, removed };
}

describe('pre-account hijacking', () => {
  describe('the owner verifies the address with the mailed link', () => {
    it('ends every session of the squatter and forgets every factor they set up', async () => {
      const t = createPasskeyAuth();
      const s = await squat(t);
      const events = recordEvents(t);

      const verified = await t.auth.verifyEmail({ token: await verificationToken(t) });
      expect(verified.email.verified).toBe(true);
      expect(verified.twoFactor).toEqual({ enabled: false, methods: [], recoveryCodesRemaining: 0 });
      expect(verified.allowSupportLogin).toBe(false);

      await expectNothingLeft(t, s);
      const sids = s.sessions.map((tokens) => decodeJwt(tokens.accessToken).payload.sid);
      expect(events.revoked.map((e) => e.data)).toEqual([
        { accountId: s.accountId, sessionIds: expect.arrayContaining(sids), reason: 'email_proven' },
      ]);
      expect(events.disabled.map((e) => e.data.method).sort()).toEqual(['sms', 'totp']);
      expect(events.removed.map((e) => e.data.credentialId)).toEqual([s.passkeyId]);
      const sessions = await t.storage.sessions.listByAccount(G, s.accountId);
      expect(sessions.every((session) => session.revokedReason === 'email_proven')).toBe(true);
    });

    it('the squatter’s TOTP, recovery codes and pending enrolment are worthless afterwards', async () => {
      const t = createPasskeyAuth();
      const s = await squat(t);
      // A challenge the squatter's password earned before the proof, to complete with their factor after it.
      const pending = await expectAuthError(t.auth.login({ email: EMAIL, password: ATTACKER_PASSWORD }), 'two_factor_required');
      await t.auth.verifyEmail({ token: await verificationToken(t) });
      t.clock.advance(30);

      const challenge = pending.extra!.challenge as string;
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, code: codeAt(t, s.secret) }), 'invalid_two_factor');
      await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, recoveryCode: s.recoveryCodes[0] }), 'invalid_two_factor');
      const confirm = t.auth.confirmTotp({ group: G, accountId: s.accountId, code: codeAt(t, s.pendingSecret), password: ATTACKER_PASSWORD });
      await expect(confirm).rejects.toMatchObject({ code: 'validation_failed' });
      expect((await t.storage.accounts.findById(G, s.accountId))!.totpSecretSealed).toBeNull();
    });

    it('the owner then resets the password with no second factor asked for, and the squatter’s password dies', async () => {
      const t = createPasskeyAuth();
      const s = await squat(t);
      await t.auth.verifyEmail({ token: await verificationToken(t) });

      await t.auth.resetPassword({ token: await resetToken(t), password: OWNER_PASSWORD });
      await expectAuthError(t.auth.login({ email: EMAIL, password: ATTACKER_PASSWORD }), 'invalid_credentials');
      const owner = await t.auth.login({ email: EMAIL, password: OWNER_PASSWORD });
      expect(decodeJwt(owner.accessToken).payload.amr).toEqual(['pwd']);
      expect(owner.account.id).toBe(s.accountId);
    });

    it('a sign-up and set-up in one sitting is legitimate too: the owner sets the factors up again after verifying', async () => {
      const t = createPasskeyAuth();
      await t.auth.register({ email: EMAIL, password: OWNER_PASSWORD });
      const before = await t.auth.login({ email: EMAIL, password: OWNER_PASSWORD });
      await enableTotp(t, before.account.id, { password: OWNER_PASSWORD });
      await t.auth.verifyEmail({ token: await verificationToken(t) });
      // Sessions opened before the verification must sign in again; the factor is provisional and gone.
      await expectAuthError(t.auth.refresh({ refreshToken: before.refreshToken }), 'unauthenticated');
      const after = await t.auth.login({ email: EMAIL, password: OWNER_PASSWORD });
      expect(after.account.twoFactor.enabled).toBe(false);
      const { secret } = await enableTotp(t, after.account.id, { password: OWNER_PASSWORD });
      // Set up after the proof, it stays: a reset now needs it.
      const token = await resetToken(t);
      await expectAuthError(t.auth.resetPassword({ token, password: 'a third passphrase' }), 'two_factor_required');
      await t.auth.resetPassword({ token, password: 'a third passphrase', twoFactorCode: codeAt(t, secret) });
    });
  });

  describe('the owner resets the password instead', () => {
    it('is asked for no factor the squatter set up, and nothing of the squat survives', async () => {
      const t = createPasskeyAuth();
      const s = await squat(t);
      const events = recordEvents(t);

      // No `two_factor_required`: the squatter's TOTP would otherwise keep the owner out for good.
      await t.auth.resetPassword({ token: await resetToken(t), password: OWNER_PASSWORD });

      await expectNothingLeft(t, s, OWNER_PASSWORD);
      expect(events.revoked.map((e) => e.data.reason)).toEqual(['email_proven']);
      expect(events.disabled.map((e) => e.data.method).sort()).toEqual(['sms', 'totp']);
      expect(events.removed.map((e) => e.data.credentialId)).toEqual([s.passkeyId]);
      await expectAuthError(t.auth.login({ email: EMAIL, password: ATTACKER_PASSWORD }), 'invalid_credentials');
      t.clock.advance(30);
      const owner = await t.auth.login({ email: EMAIL, password: OWNER_PASSWORD, twoFactorCode: codeAt(t, s.secret) });
      expect(decodeJwt(owner.accessToken).payload.amr).toEqual(['pwd']);
      expect(owner.account).toMatchObject({ email: { verified: true }, twoFactor: { enabled: false } });
    });

    it('a squatter who panic-locked the account with recovery codes cannot keep the owner out', async () => {
      const t = createPasskeyAuth();
      const s = await squat(t);
      t.clock.advance(1);
      await t.auth.panicLock({ group: G, accountId: s.accountId });

      await t.auth.resetPassword({ token: await resetToken(t), password: OWNER_PASSWORD });
      const account = (await t.storage.accounts.findById(G, s.accountId))!;
      expect(account).toMatchObject({ status: 'active', statusReason: null, recoveryCodesRemaining: 0 });
      await expectAuthError(
        t.auth.unlockAccount({ email: EMAIL, recoveryCode: s.recoveryCodes[0]!, newPassword: ATTACKER_PASSWORD }),
        'invalid_credentials',
      );
      await expect(t.auth.login({ email: EMAIL, password: OWNER_PASSWORD })).resolves.toMatchObject({ tokenType: 'Bearer' });
    });
  });

  describe('forgetUnprovenSetup', () => {
    it('keeps the session the proof was made in, and only that one', async () => {
      const t = createPasskeyAuth();
      const s = await squat(t);
      const [other, keep] = s.sessions.map((tokens) => decodeJwt(tokens.accessToken).payload.sid as string);
      const account = (await t.storage.accounts.findById(G, s.accountId))!;
      const after = await forgetUnprovenSetup(otpContext(t), account, { keepSessionId: keep });
      expect(after).toMatchObject({ totpSecretSealed: null, phoneNumber: null, recoveryCodesRemaining: 0 });
      // The helper forgets; marking the address verified is the caller's step.
      expect(after!.emailVerifiedAt).toBeNull();
      const sessions = await t.storage.sessions.listByAccount(G, s.accountId);
      expect(sessions.find((x) => x.id === keep)!.revokedAt).toBeNull();
      expect(sessions.find((x) => x.id === other)!.revokedReason).toBe('email_proven');
    });

    it('touches nothing on an account whose address is already proven', async () => {
      const t = createPasskeyAuth();
      await t.auth.register({ email: EMAIL, password: OWNER_PASSWORD });
      await t.auth.verifyEmail({ token: await verificationToken(t) });
      const tokens = await t.auth.login({ email: EMAIL, password: OWNER_PASSWORD });
      await enableTotp(t, tokens.account.id, { password: OWNER_PASSWORD });
      const account = (await t.storage.accounts.findById(G, tokens.account.id))!;
      expect(await forgetUnprovenSetup(otpContext(t), account)).toBe(account);
      expect(await t.storage.accounts.findById(G, tokens.account.id)).toEqual(account);
      await expect(t.auth.refresh({ refreshToken: tokens.refreshToken })).resolves.toBeDefined();
    });

    it('all or nothing: a failure while forgetting leaves the address unverified and the setup as it was', async () => {
      const inner = memoryStorage();
      const order: string[] = [];
      let failDeletion = false;
      const spied = proxyStorage(inner, (repository, method, args, call) => {
        if (repository === 'sessions' && method === 'revokeAllForAccount') order.push('sessions');
        if (repository === 'webauthnCredentials' && method === 'deleteAllForAccount') {
          order.push('passkeys');
          if (failDeletion) return Promise.reject(new Error('database down'));
        }
        if (repository === 'accounts' && method === 'update') {
          const patch = args[2] as { emailVerifiedAt?: unknown; totpSecretSealed?: unknown; allowSupportLogin?: unknown };
          if (patch.emailVerifiedAt) order.push('verified');
          else if (patch.totpSecretSealed === null && patch.allowSupportLogin === false) order.push('factors');
        }
        return call();
      });
      const t = createPasskeyAuth({}, { storage: spied });
      const s = await squat(t);
      const token = await verificationToken(t);
      const live = async () => (await inner.sessions.listByAccount(G, s.accountId)).filter((x) => !x.revokedAt).length;
      const liveBefore = await live();

      failDeletion = true;
      order.length = 0;
      await expect(t.auth.verifyEmail({ token })).rejects.toThrow('database down');
      expect(order).toEqual(['sessions', 'passkeys']);
      // One transaction: the sessions it had ended are live again, and nothing was verified.
      expect((await inner.accounts.findById(G, s.accountId))!.emailVerifiedAt).toBeNull();
      expect(await live()).toBe(liveBefore);

      // The owner proves the mailbox again (a reset); this time it goes through, in order.
      failDeletion = false;
      order.length = 0;
      await t.auth.resetPassword({ token: await resetToken(t), password: OWNER_PASSWORD });
      expect(order.filter((step) => step !== 'sessions')).toEqual(['passkeys', 'factors', 'verified']);
      expect(order[0]).toBe('sessions');
      await expectNothingLeft(t, s, OWNER_PASSWORD);
    });
  });
});
