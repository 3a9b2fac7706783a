import { describe, expect, it } from 'vitest';
import type { VerifiedChannel, VerifyChannelInput } from '../../../src/core/otp/verify-channel.js';
import type { AuthError } from '../../../src/index.js';
import { softwareAuthenticator } from '../../../src/testing/webauthn/software-authenticator.js';
import { expectAuthError, PASSWORD } from '../helpers.js';
import { lastMailCode, lastSmsCode, OTHER_PHONE, PHONE } from '../otp/helpers.js';
import { createPasskeyAuth, ORIGIN, type PasskeyAuth } from '../webauthn/helpers.js';
import { codeAt, enableTotp, readAccount, verifiedAndSignedIn } from './helpers.js';

const group = 'default';
const EMAIL = 'ada@example.com';
const PASSWORD_REQUIRED = { message: 'The password is required.', details: [{ path: 'password', message: 'is required' }] };
const OTP_REQUIRED = {
  message:
    'An x-otp header (a current second factor: an authenticator code, a code sent to you, or a recovery code) is required.',
  details: [{ path: 'x-otp', message: 'is required' }],
};

/** What a caller sends on top of its access token. */
type Proof = { password?: string; otp?: string };

/** Mails are sent in the background: lets them land before the outbox is read. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The `security-change` mails the owner received, as the change each one names. */
async function securityMails(t: PasskeyAuth): Promise<string[]> {
  await settle();
  return t.outbox.messages
    .filter((m) => m.kind === 'security-change')
    .map((m) => {
      expect(m.to).toBe(EMAIL);
      return /^Hi[^,]*, (.*?) on your /.exec(m.text.replace(/\s+/g, ' '))?.[1] ?? m.text;
    });
}

const proofError = (error: AuthError) => ({ message: error.message, details: error.details });

/**
 * `auth.verifyChannel`, typed as what the operation answers: `Auth` declares an `AccountResource`, which
 * hides the `recoveryCodes` the first channel comes with.
 */
const enableChannel = (t: PasskeyAuth, input: VerifyChannelInput): Promise<VerifiedChannel> => t.auth.verifyChannel(input);

/** Ada, with passkeys on and her address verified, just signed in: what a token stolen a moment later opens. */
async function justSignedIn(): Promise<{ t: PasskeyAuth; accountId: string }> {
  const t = createPasskeyAuth();
  const { accountId } = await verifiedAndSignedIn(t, { email: EMAIL });
  return { t, accountId };
}

/** Adds a passkey to the account (proven by `proof`) and returns its id. */
async function addPasskey(t: PasskeyAuth, accountId: string, proof: Proof): Promise<string> {
  const options = await t.auth.webauthnRegistrationOptions({ group, accountId });
  const credential = softwareAuthenticator({ origin: ORIGIN }).register(options);
  return (await t.auth.verifyWebauthnRegistration({ group, accountId, credential, name: 'Laptop', ...proof })).id;
}

/** One change to how the account signs in, as an attacker would attempt it. */
interface Attempt {
  change: string;
  attempt(proof: Proof): Promise<unknown>;
}

/**
 * Prepares everything an attacker holding the access token can prepare without a proof (their own
 * authenticator, their phone and its code, a passkey ceremony) and returns the changes to attempt.
 * `passkeyId` is the owner's passkey, for the attempt to remove it.
 */
async function attacks(t: PasskeyAuth, accountId: string, passkeyId: string): Promise<Attempt[]> {
  const { secret } = await t.auth.enrolTotp({ group, accountId });
  await t.auth.addPhone({ group, accountId, phone: OTHER_PHONE });
  const smsCode = lastSmsCode(t, OTHER_PHONE);
  const options = await t.auth.webauthnRegistrationOptions({ group, accountId });
  const credential = softwareAuthenticator({ origin: ORIGIN }).register(options);
  return [
    { change: 'confirm TOTP', attempt: (p) => t.auth.confirmTotp({ group, accountId, code: codeAt(t, secret), ...p }) },
    {
      change: 'enable SMS codes',
      attempt: (p) => t.auth.verifyChannel({ group, accountId, channel: 'sms', code: smsCode, ...p }),
    },
    { change: 'add a passkey', attempt: (p) => t.auth.verifyWebauthnRegistration({ group, accountId, credential, ...p }) },
    {
      change: 'remove a passkey',
      attempt: (p) => t.auth.deleteWebauthnCredential({ group, accountId, credentialId: passkeyId, ...p }),
    },
    { change: 'regenerate recovery codes', attempt: (p) => t.auth.regenerateRecoveryCodes({ group, accountId, ...p }) },
    { change: 'delete the account', attempt: (p) => t.auth.deleteAccount({ group, accountId, ...p }) },
  ];
}

/** What the attacks must leave exactly as it was. */
async function snapshot(t: PasskeyAuth, accountId: string) {
  const account = await readAccount(t.storage, accountId);
  const passkeys = await t.auth.listWebauthnCredentials({ group, accountId });
  return {
    status: account.status,
    methods: (await t.auth.getAccount({ group, accountId })).twoFactor.methods,
    totpSecret: account.totpSecretSealed,
    phoneVerifiedAt: account.phoneVerifiedAt,
    recoveryCodesRemaining: account.recoveryCodesRemaining,
    passkeys: passkeys.map((p) => p.id),
  };
}

describe('factor changes: a stolen fresh access token changes nothing without the password', () => {
  it('just after sign-in, no proof: every change is refused with validation_failed (password)', async () => {
    const { t, accountId } = await justSignedIn();
    const passkeyId = await addPasskey(t, accountId, { password: PASSWORD }); // the owner's
    const list = await attacks(t, accountId, passkeyId);
    const before = await snapshot(t, accountId);
    const mailed = (await securityMails(t)).length;

    for (const { change, attempt } of list) {
      const refused = await expectAuthError(attempt({}), 'validation_failed');
      expect(proofError(refused), change).toEqual(PASSWORD_REQUIRED);
    }

    expect(await snapshot(t, accountId)).toEqual(before);
    expect((await readAccount(t.storage, accountId)).totpPendingSecretSealed).toBeTruthy();
    // Refused before anything was looked at: the attacker's SMS code was not even tried.
    expect(await t.storage.otpCodes.find(group, accountId, 'sms', 'verify')).toMatchObject({ attempts: 0, consumedAt: null });
    expect(await securityMails(t)).toHaveLength(mailed);
  });

  it('a guessed password is refused (invalid_credentials), and an x-otp is the wrong kind of proof', async () => {
    const { t, accountId } = await justSignedIn();
    const passkeyId = await addPasskey(t, accountId, { password: PASSWORD });
    const list = await attacks(t, accountId, passkeyId);
    const before = await snapshot(t, accountId);

    for (const { change, attempt } of list) {
      // No second factor is on: a code in x-otp proves nothing, whatever it is.
      const otp = await expectAuthError(attempt({ otp: '123456' }), 'validation_failed');
      expect(proofError(otp), change).toEqual(PASSWORD_REQUIRED);
    }
    for (const { change, attempt } of list) {
      const guessed = await expectAuthError(attempt({ password: `${PASSWORD}!` }), 'invalid_credentials');
      expect(guessed.message, change).toBe('The password is incorrect.');
    }
    expect(await snapshot(t, accountId)).toEqual(before);
  });

  it('the owner, with the password, makes the same changes (the refused attempts spent nothing)', async () => {
    const { t, accountId } = await justSignedIn();
    const passkeyId = await addPasskey(t, accountId, { password: PASSWORD });
    const list = await attacks(t, accountId, passkeyId);
    for (const { attempt } of list) await expectAuthError(attempt({}), 'validation_failed');

    const [confirm, ...rest] = list;
    expect(await confirm!.attempt({ password: PASSWORD })).toMatchObject({ recoveryCodes: expect.any(Array) });
    expect(await t.auth.getAccount({ group, accountId })).toMatchObject({ twoFactor: { methods: ['totp'] } });
    // With TOTP now on, the password no longer proves anything, even for the owner.
    for (const { change, attempt } of rest) {
      const refused = await expectAuthError(attempt({ password: PASSWORD }), 'validation_failed');
      expect(proofError(refused), change).toEqual(OTP_REQUIRED);
    }
  });
});

describe('factor changes: with a second factor on, a phished password is no proof', () => {
  /** Ada with a passkey and TOTP on, just signed in with both factors (the session a phishing proxy relays). */
  async function withSecondFactor() {
    const { t, accountId } = await justSignedIn();
    const passkeyId = await addPasskey(t, accountId, { password: PASSWORD });
    const { secret, recoveryCodes } = await enableTotp(t, accountId);
    await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: codeAt(t, secret) });
    t.clock.advance(30);
    return { t, accountId, passkeyId, secret, recoveryCodes };
  }

  it('the password is refused (validation_failed, x-otp) for every change, and nothing changes', async () => {
    const { t, accountId, passkeyId } = await withSecondFactor();
    const list: Attempt[] = [
      ...(await attacks(t, accountId, passkeyId)),
      { change: 'turn TOTP off', attempt: (p) => t.auth.disableTotp({ group, accountId, ...p }) },
      { change: 'turn a channel off', attempt: (p) => t.auth.disableChannel({ group, accountId, channel: 'email', ...p }) },
    ];
    const before = await snapshot(t, accountId);
    const mailed = (await securityMails(t)).length;

    for (const { change, attempt } of list) {
      for (const proof of [{}, { password: PASSWORD }]) {
        const refused = await expectAuthError(attempt(proof), 'validation_failed');
        expect(proofError(refused), change).toEqual(OTP_REQUIRED);
      }
    }

    expect(await snapshot(t, accountId)).toEqual(before);
    expect(before.methods).toEqual(['totp']);
    expect(await t.storage.otpCodes.find(group, accountId, 'sms', 'verify')).toMatchObject({ attempts: 0, consumedAt: null });
    expect(await securityMails(t)).toHaveLength(mailed);
  });

  it('a wrong x-otp beside the right password is refused: the code is the proof', async () => {
    const { t, accountId, passkeyId, secret } = await withSecondFactor();
    const [confirm, , , remove, regenerate, deletion] = await attacks(t, accountId, passkeyId);
    const right = codeAt(t, secret);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (const attempt of [confirm!, remove!, regenerate!, deletion!]) {
      await expectAuthError(attempt.attempt({ otp: wrong, password: PASSWORD }), 'invalid_two_factor');
    }
    expect((await readAccount(t.storage, accountId)).status).toBe('active');
    expect(await t.auth.listWebauthnCredentials({ group, accountId })).toHaveLength(1);
  });

  it('the attacker’s own pending authenticator or unenabled phone cannot vouch for itself', async () => {
    const { t, accountId } = await withSecondFactor();
    const { secret: attackers } = await t.auth.enrolTotp({ group, accountId });
    const pending = codeAt(t, attackers);
    await expectAuthError(t.auth.confirmTotp({ group, accountId, code: pending, otp: pending }), 'invalid_two_factor');
    await t.auth.addPhone({ group, accountId, phone: OTHER_PHONE });
    const sms = lastSmsCode(t, OTHER_PHONE);
    await expectAuthError(t.auth.verifyChannel({ group, accountId, channel: 'sms', code: sms, otp: sms }), 'invalid_two_factor');
    expect((await t.auth.getAccount({ group, accountId })).twoFactor.methods).toEqual(['totp']);
  });

  it('an enabled phone cannot be replaced without x-otp: the SMS factor is not taken over', async () => {
    const { t, accountId } = await justSignedIn();
    await t.auth.addPhone({ group, accountId, phone: PHONE });
    await t.auth.verifyChannel({ group, accountId, channel: 'sms', code: lastSmsCode(t, PHONE), password: PASSWORD });
    const replaced = await expectAuthError(t.auth.addPhone({ group, accountId, phone: OTHER_PHONE }), 'validation_failed');
    expect(proofError(replaced)).toEqual(OTP_REQUIRED);
    const account = await readAccount(t.storage, accountId);
    expect({ phone: account.phoneNumber, sms: account.smsOtpEnabledAt !== null }).toEqual({ phone: PHONE, sms: true });
    expect(t.sms.messages.filter((m) => m.to === OTHER_PHONE)).toEqual([]);
  });
});

describe('factor changes: the x-otp throttle is consulted before any code is looked at', () => {
  /** Ada with email codes on (and the recovery codes that came with them) and a passkey. */
  async function withEmailCodes() {
    const { t, accountId } = await justSignedIn();
    const passkeyId = await addPasskey(t, accountId, { password: PASSWORD });
    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    const enabled = await enableChannel(t, { group, accountId, channel: 'email', code: lastMailCode(t), password: PASSWORD });
    expect(enabled.recoveryCodes).toHaveLength(10);
    return { t, accountId, passkeyId, recoveryCodes: enabled.recoveryCodes! };
  }

  /** Five wrong x-otp codes, spread over five routes (spreading buys nothing: one budget). */
  async function spendTheBudget(t: PasskeyAuth, accountId: string, passkeyId: string): Promise<void> {
    const otp = '000000';
    const routes = [
      () => t.auth.regenerateRecoveryCodes({ group, accountId, otp }),
      () => t.auth.disableChannel({ group, accountId, channel: 'email', otp }),
      () => t.auth.deleteAccount({ group, accountId, otp }),
      () => t.auth.deleteWebauthnCredential({ group, accountId, credentialId: passkeyId, otp }),
      () => t.auth.disableTotp({ group, accountId, otp }),
    ];
    for (const route of routes) await expectAuthError(route(), 'invalid_two_factor');
  }

  it('after 5 wrong x-otp codes, the right emailed code is refused (rate_limited) and its attempts did not move', async () => {
    const { t, accountId, passkeyId } = await withEmailCodes();
    await spendTheBudget(t, accountId, passkeyId);

    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    const code = lastMailCode(t);
    const before = await t.storage.otpCodes.find(group, accountId, 'email', 'verify');
    expect(before).toMatchObject({ attempts: 0, consumedAt: null });

    const limited = await expectAuthError(t.auth.regenerateRecoveryCodes({ group, accountId, otp: code }), 'rate_limited');
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect(limited.retryAfter).toBeLessThanOrEqual(900);
    await expectAuthError(t.auth.deleteAccount({ group, accountId, otp: code }), 'rate_limited');
    expect(await t.storage.otpCodes.find(group, accountId, 'email', 'verify')).toEqual(before);
    expect((await readAccount(t.storage, accountId)).status).toBe('active');
  });

  it('while throttled, a recovery code is not spent and a channel being enabled keeps its code', async () => {
    const { t, accountId, passkeyId, recoveryCodes } = await withEmailCodes();
    await spendTheBudget(t, accountId, passkeyId);

    await expectAuthError(t.auth.regenerateRecoveryCodes({ group, accountId, otp: recoveryCodes[0]! }), 'rate_limited');
    expect((await readAccount(t.storage, accountId)).recoveryCodesRemaining).toBe(10);

    // Enabling SMS: the throttle answers before the SMS code is tried.
    await t.auth.addPhone({ group, accountId, phone: PHONE });
    const sms = lastSmsCode(t, PHONE);
    const verify = t.auth.verifyChannel({ group, accountId, channel: 'sms', code: sms, otp: recoveryCodes[1]! });
    await expectAuthError(verify, 'rate_limited');
    expect(await t.storage.otpCodes.find(group, accountId, 'sms', 'verify')).toMatchObject({ attempts: 0, consumedAt: null });
    expect((await readAccount(t.storage, accountId)).recoveryCodesRemaining).toBe(10);

    // Confirming an authenticator: refused before the pending code or the proof is looked at.
    const { secret } = await t.auth.enrolTotp({ group, accountId });
    const confirm = t.auth.confirmTotp({ group, accountId, code: codeAt(t, secret), otp: recoveryCodes[2]! });
    await expectAuthError(confirm, 'rate_limited');
    expect((await t.auth.getAccount({ group, accountId })).twoFactor).toEqual({
      enabled: true,
      methods: ['email'],
      recoveryCodesRemaining: 10,
    });
  });
});

describe('factor changes: every change is mailed to the owner', () => {
  it('set-up, replacement and removal of each factor, passkeys and new recovery codes each send security-change', async () => {
    const { t, accountId } = await justSignedIn();
    // The first factor proves with the password; from then on, a current code (a new time step each).
    const passkeyId = await addPasskey(t, accountId, { password: PASSWORD });
    const { secret: first } = await t.auth.enrolTotp({ group, accountId });
    await t.auth.confirmTotp({ group, accountId, code: codeAt(t, first), password: PASSWORD });
    let secret = first;
    const otp = (): string => {
      t.clock.advance(30);
      return codeAt(t, secret);
    };

    await t.auth.addPhone({ group, accountId, phone: PHONE });
    const sms = await enableChannel(t, { group, accountId, channel: 'sms', code: lastSmsCode(t, PHONE), otp: otp() });
    expect(sms.recoveryCodes).toBeUndefined(); // the account already had codes
    await t.auth.addPhone({ group, accountId, phone: OTHER_PHONE, otp: otp() });
    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    await t.auth.verifyChannel({ group, accountId, channel: 'email', code: lastMailCode(t), otp: otp() });
    await t.auth.regenerateRecoveryCodes({ group, accountId, otp: otp() });
    const { secret: next } = await t.auth.enrolTotp({ group, accountId });
    const proof = otp();
    await t.auth.confirmTotp({ group, accountId, code: codeAt(t, next), otp: proof });
    secret = next;
    await t.auth.deleteWebauthnCredential({ group, accountId, credentialId: passkeyId, otp: otp() });
    await t.auth.disableChannel({ group, accountId, channel: 'email', otp: otp() });
    await t.auth.disableTotp({ group, accountId, otp: otp() });

    expect(await securityMails(t)).toEqual([
      'A passkey ("Laptop") was added',
      'An authenticator app was set up',
      'Text message codes were turned on',
      'The phone number of your text message codes was replaced',
      'Email codes were turned on',
      'New recovery codes were made (the old ones no longer work)',
      'The authenticator app was replaced',
      'A passkey ("Laptop") was removed',
      'Email codes were turned off',
      'The authenticator app was turned off',
    ]);
    const mail = t.outbox.messages.find((m) => m.kind === 'security-change')!;
    expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toContain(first);
  });

  it('the first channel comes with 10 recovery codes (shown once), which then prove the owner', async () => {
    const { t, accountId } = await justSignedIn();
    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    const enabled = await enableChannel(t, { group, accountId, channel: 'email', code: lastMailCode(t), password: PASSWORD });
    expect(enabled.recoveryCodes).toHaveLength(10);
    expect(new Set(enabled.recoveryCodes).size).toBe(10);
    expect(enabled.twoFactor).toEqual({ enabled: true, methods: ['email'], recoveryCodesRemaining: 10 });
    expect(await t.auth.getAccount({ group, accountId })).not.toHaveProperty('recoveryCodes');
    await t.auth.regenerateRecoveryCodes({ group, accountId, otp: enabled.recoveryCodes![0]! });
    expect(await securityMails(t)).toEqual([
      'Email codes were turned on',
      'New recovery codes were made (the old ones no longer work)',
    ]);
  });
});
