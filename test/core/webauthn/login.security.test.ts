import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import type { AuthEvent, Storage } from '../../../src/index.js';
import { softwareAuthenticator } from '../../../src/testing/webauthn/software-authenticator.js';
import { decodeJwt, expectAuthError, PASSWORD } from '../helpers.js';
import { codeAt, enableTotp } from '../two-factor/helpers.js';
import { createPasskeyAuth, history, member, memberWithPasskey, ORIGIN, storedPasskey } from './helpers.js';

const G = 'default';
const REFUSED = 'The passkey could not be verified.';

const amrOf = (accessToken: string) => decodeJwt(accessToken).payload.amr;

describe('passkey sign-in', () => {
  it('signs in without an email (discoverable): two factors with user verification', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const logins: AuthEvent<'account.logged-in'>[] = [];
    t.auth.events.on('account.logged-in', (e) => void logins.push(e));

    const options = await t.auth.webauthnLoginOptions();
    expect(options).toMatchObject({ rpId: 'localhost', allowCredentials: [], userVerification: 'required', timeout: 300_000 });
    expect(Buffer.from(options.challenge, 'base64url').length).toBeGreaterThanOrEqual(16);
    const assertion = ada.authenticator.authenticate(options);
    expect(assertion.response.userHandle).toBe(Buffer.from(ada.accountId).toString('base64url'));

    const tokens = await t.auth.verifyWebauthnLogin({ credential: assertion, ip: '203.0.113.9', userAgent: 'Browser/1' });
    expect(tokens.account.id).toBe(ada.accountId);
    expect(amrOf(tokens.accessToken)).toEqual(['hwk', 'user', 'mfa']);
    expect(await storedPasskey(t, ada.credentialId)).toMatchObject({ counter: 1, lastUsedAt: t.clock.now() });
    expect((await history(t, ada.accountId))[0]).toMatchObject({
      success: true,
      method: 'passkey',
      ip: '203.0.113.9',
      failureReason: null,
    });
    expect(logins.map((e) => [e.data.account.id, e.data.method])).toEqual([[ada.accountId, 'passkey']]);
    const [listed] = await t.auth.listWebauthnCredentials({ group: G, accountId: ada.accountId });
    expect(listed!.lastUsedAt).toBe(t.clock.now().toISOString());
  });

  it('signs in email-first: allowCredentials lists the account’s passkeys', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const options = await t.auth.webauthnLoginOptions({ email: ' Ada@Example.com ' });
    expect(options.allowCredentials).toEqual([{ id: ada.credentialId, type: 'public-key' }]);
    const tokens = await t.auth.verifyWebauthnLogin({ credential: ada.authenticator.authenticate(options) });
    expect(tokens.account.id).toBe(ada.accountId);
  });

  it('answers an unknown email with options of the same shape as a known one (a stable decoy)', async () => {
    const t = createPasskeyAuth();
    await memberWithPasskey(t);
    await member(t, 'nopasskey@example.com');
    const known = await t.auth.webauthnLoginOptions({ email: 'ada@example.com' });
    const unknown = await t.auth.webauthnLoginOptions({ email: 'nobody@example.com' });
    const withoutPasskey = await t.auth.webauthnLoginOptions({ email: 'nopasskey@example.com' });
    const malformed = await t.auth.webauthnLoginOptions({ email: 'not an email' });

    const shape = (o: typeof known) => ({
      keys: Object.keys(o).filter((k) => o[k as keyof typeof o] !== undefined).sort(),
      challenge: o.challenge.length,
      allow: o.allowCredentials!.map((c) => ({ keys: Object.keys(c).sort(), id: c.id.length, type: c.type })),
    });
    for (const other of [unknown, withoutPasskey, malformed]) expect(shape(other)).toEqual(shape(known));
    // No transports on either: a decoy's would have to be invented, and would differ from a real passkey's.
    for (const o of [known, unknown]) expect(o.allowCredentials![0]!.transports).toBeUndefined();
    // The same decoy on every request, as a real account's list would be; different per email.
    const again = await t.auth.webauthnLoginOptions({ email: 'nobody@example.com' });
    expect(again.allowCredentials).toEqual(unknown.allowCredentials);
    expect(withoutPasskey.allowCredentials).not.toEqual(unknown.allowCredentials);
  });

  it('refuses a response from another origin (a phishing page relaying the challenge)', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const options = await t.auth.webauthnLoginOptions();
    const phished = ada.authenticator.authenticate(options, { origin: 'https://evil.example' });
    const error = await expectAuthError(t.auth.verifyWebauthnLogin({ credential: phished }), 'invalid_credentials');
    expect(error.message).toBe(REFUSED);
    expect((await history(t, ada.accountId))[0]).toMatchObject({
      success: false,
      method: 'passkey',
      failureReason: 'invalid_credentials',
    });
    expect(t.logger.lines.find((l) => l.message === 'passkey sign-in refused')?.fields?.reason).toMatch(/origin/);
  });

  it('refuses a response signed for another RP ID', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const options = await t.auth.webauthnLoginOptions();
    const assertion = ada.authenticator.authenticate(options, { rpId: 'evil.example' });
    await expectAuthError(t.auth.verifyWebauthnLogin({ credential: assertion }), 'invalid_credentials');
  });

  it('refuses a forged signature and an unknown credential', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    // Mallory's own key, never registered: presented under Ada's credential id, and under its own.
    const mallory = softwareAuthenticator({ origin: ORIGIN });
    const own = mallory.register(await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId }));
    const forged = mallory.authenticate(await t.auth.webauthnLoginOptions(), { credentialId: own.id });
    const asAda = { ...forged, id: ada.credentialId, rawId: ada.credentialId };
    await expectAuthError(t.auth.verifyWebauthnLogin({ credential: asAda }), 'invalid_credentials');
    const unknown = mallory.authenticate(await t.auth.webauthnLoginOptions(), { credentialId: own.id });
    await expectAuthError(t.auth.verifyWebauthnLogin({ credential: unknown }), 'invalid_credentials');
    expect((await history(t, ada.accountId)).map((a) => a.failureReason)).toEqual(['invalid_credentials']);
    // The forged one was not counted as a counter regression.
    expect(t.logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('refuses a replayed assertion (the challenge works once)', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const assertion = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions());
    await t.auth.verifyWebauthnLogin({ credential: assertion });
    const error = await expectAuthError(t.auth.verifyWebauthnLogin({ credential: assertion }), 'invalid_token');
    expect(error.message).toBe('The passkey challenge is invalid, expired or already used.');
  });

  it('opens one session for one assertion presented concurrently', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const assertion = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions());
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => t.auth.verifyWebauthnLogin({ credential: assertion })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'invalid_token' });
    expect(await t.storage.sessions.listByAccount(G, ada.accountId)).toHaveLength(1);
  });

  it('refuses an expired challenge', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const options = await t.auth.webauthnLoginOptions();
    t.clock.advance(301);
    await expectAuthError(t.auth.verifyWebauthnLogin({ credential: ada.authenticator.authenticate(options) }), 'invalid_token');
  });

  it("refuses an email-first challenge for Ada answered with Bob's passkey", async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const bob = await memberWithPasskey(t, 'bob@example.com');
    const forAda = await t.auth.webauthnLoginOptions({ email: ada.email });
    const assertion = bob.authenticator.authenticate(forAda, { credentialId: bob.credentialId });
    await expectAuthError(t.auth.verifyWebauthnLogin({ credential: assertion }), 'invalid_credentials');
    expect(await t.storage.sessions.listByAccount(G, bob.accountId)).toEqual([]);
  });

  it("refuses a userHandle that names another account", async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const bob = await memberWithPasskey(t, 'bob@example.com');
    const assertion = bob.authenticator.authenticate(await t.auth.webauthnLoginOptions(), {
      userHandle: Buffer.from(ada.accountId).toString('base64url'),
    });
    await expectAuthError(t.auth.verifyWebauthnLogin({ credential: assertion }), 'invalid_credentials');
  });

  it('refuses a signature counter that goes backwards, records it and warns', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    await t.auth.verifyWebauthnLogin({ credential: ada.authenticator.authenticate(await t.auth.webauthnLoginOptions()) });
    await t.auth.verifyWebauthnLogin({ credential: ada.authenticator.authenticate(await t.auth.webauthnLoginOptions()) });
    expect((await storedPasskey(t, ada.credentialId)).counter).toBe(2);
    const failures: AuthEvent<'account.login-failed'>[] = [];
    t.auth.events.on('account.login-failed', (e) => void failures.push(e));

    for (const signCount of [1, 2]) {
      const clone = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions(), { signCount });
      const error = await expectAuthError(t.auth.verifyWebauthnLogin({ credential: clone }), 'invalid_credentials');
      expect(error.message).toBe(REFUSED);
    }
    expect((await storedPasskey(t, ada.credentialId)).counter).toBe(2);
    const refused = (await history(t, ada.accountId)).filter((a) => !a.success);
    expect(refused.map((a) => [a.method, a.failureReason])).toEqual([
      ['passkey', 'counter_regression'],
      ['passkey', 'counter_regression'],
    ]);
    expect(failures.map((e) => e.data.reason)).toEqual(['counter_regression', 'counter_regression']);
    expect(t.logger.lines.filter((l) => l.level === 'warn')).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({ credentialId: ada.credentialId, storedCounter: 2, receivedCounter: 1 }),
      }),
      expect.objectContaining({ fields: expect.objectContaining({ storedCounter: 2, receivedCounter: 2 }) }),
    ]);
    // The genuine authenticator, ahead of the clone, still signs in.
    const genuine = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions(), { signCount: 3 });
    await t.auth.verifyWebauthnLogin({ credential: genuine });
  });

  it('accepts authenticators without a counter (always 0), again and again', async () => {
    const t = createPasskeyAuth();
    const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    const synced = softwareAuthenticator({ origin: ORIGIN, signCounter: false, synced: true });
    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: account.id });
    const credential = synced.register(options);
    const { id } = await t.auth.verifyWebauthnRegistration({ group: G, accountId: account.id, password: PASSWORD, credential });
    expect(await storedPasskey(t, id)).toMatchObject({ deviceType: 'multiDevice', backedUp: true, counter: 0 });
    for (let i = 0; i < 3; i++) {
      await t.auth.verifyWebauthnLogin({ credential: synced.authenticate(await t.auth.webauthnLoginOptions()) });
    }
  });

  it('lets one of two assertions racing on one counter through (compare-and-set)', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const first = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions());
    const second = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions());
    const results = await Promise.allSettled([
      t.auth.verifyWebauthnLogin({ credential: second }),
      t.auth.verifyWebauthnLogin({ credential: first }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'invalid_credentials' });
    expect(await t.storage.sessions.listByAccount(G, ada.accountId)).toHaveLength(1);
  });

  it('refuses an assertion whose counter update lost a race, as a counter regression', async () => {
    const storage = memoryStorage();
    let race = false;
    const racing: Storage = {
      ...storage,
      webauthnCredentials: {
        ...storage.webauthnCredentials,
        async recordUse(group, id, expected, next, at) {
          // Another assertion stores its counter between this one's read and its write.
          if (race) await storage.webauthnCredentials.recordUse(group, id, expected, next + 1, at);
          return storage.webauthnCredentials.recordUse(group, id, expected, next, at);
        },
      },
    };
    const t = createPasskeyAuth({}, { storage: racing });
    const ada = await memberWithPasskey(t);
    race = true;
    const assertion = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions());
    await expectAuthError(t.auth.verifyWebauthnLogin({ credential: assertion }), 'invalid_credentials');
    expect((await history(t, ada.accountId))[0]).toMatchObject({ failureReason: 'counter_regression' });
    expect(await t.storage.sessions.listByAccount(G, ada.accountId)).toEqual([]);
  });

  it('refuses a passkey without user verification when it is required', async () => {
    const t = createPasskeyAuth({ userVerification: 'preferred' });
    const ada = await memberWithPasskey(t);
    const strict = createPasskeyAuth({}, { storage: t.storage, clock: t.clock });
    const assertion = ada.authenticator.authenticate(await strict.auth.webauthnLoginOptions(), { userVerified: false });
    const error = await expectAuthError(strict.auth.verifyWebauthnLogin({ credential: assertion }), 'invalid_credentials');
    expect(error.message).toBe('The passkey did not verify the user (PIN or biometrics), which is required.');
    expect((await history(t, ada.accountId))[0]).toMatchObject({ success: false, failureReason: 'user_verification_required' });
  });

  it('without user verification (preferred) a passkey is one factor: alone it signs in as hwk', async () => {
    const t = createPasskeyAuth({ userVerification: 'preferred' });
    const ada = await memberWithPasskey(t);
    const assertion = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions(), { userVerified: false });
    const tokens = await t.auth.verifyWebauthnLogin({ credential: assertion });
    expect(amrOf(tokens.accessToken)).toEqual(['hwk']);
  });

  it('without user verification, an account with a second factor gets two_factor_required, or gives the code at once', async () => {
    const t = createPasskeyAuth({ userVerification: 'preferred' });
    const ada = await memberWithPasskey(t);
    const { secret } = await enableTotp(t, ada.accountId);
    const unverified = async () =>
      ada.authenticator.authenticate(await t.auth.webauthnLoginOptions(), { userVerified: false });

    const error = await expectAuthError(t.auth.verifyWebauthnLogin({ credential: await unverified() }), 'two_factor_required');
    expect(error.extra).toEqual({ methods: ['totp'], challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect((await history(t, ada.accountId))[0]).toMatchObject({ method: 'passkey', failureReason: 'two_factor_required' });

    const wrong = await expectAuthError(
      t.auth.verifyWebauthnLogin({ credential: await unverified(), twoFactorCode: '000000' }),
      'invalid_two_factor',
    );
    expect(wrong.code).toBe('invalid_two_factor');
    const tokens = await t.auth.verifyWebauthnLogin({ credential: await unverified(), twoFactorCode: codeAt(t, secret) });
    expect(amrOf(tokens.accessToken)).toEqual(['hwk', 'otp', 'mfa']);

    // With user verification the passkey alone satisfies the second factor.
    const verified = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions());
    expect(amrOf((await t.auth.verifyWebauthnLogin({ credential: verified })).accessToken)).toEqual(['hwk', 'user', 'mfa']);
  });

  it('completes a passkey login in a second step: amr hwk + factor + mfa, history method passkey', async () => {
    const t = createPasskeyAuth({ userVerification: 'preferred' });
    const ada = await memberWithPasskey(t);
    const { secret } = await enableTotp(t, ada.accountId);
    const assertion = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions(), { userVerified: false });
    const error = await expectAuthError(t.auth.verifyWebauthnLogin({ credential: assertion }), 'two_factor_required');
    const { challenge } = error.extra as { challenge: string };

    t.clock.advance(1);
    const wrong = t.auth.completeTwoFactorLogin({ challenge, code: '000000' });
    await expectAuthError(wrong, 'invalid_two_factor');
    expect((await history(t, ada.accountId))[0]).toMatchObject({ method: 'passkey', failureReason: 'invalid_two_factor' });

    t.clock.advance(1);
    const tokens = await t.auth.completeTwoFactorLogin({ challenge, code: codeAt(t, secret) });
    expect('accessToken' in tokens && amrOf(tokens.accessToken)).toEqual(['hwk', 'otp', 'mfa']);
    expect((await history(t, ada.accountId))[0]).toMatchObject({ method: 'passkey', success: true });
    await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, code: codeAt(t, secret, 1) }), 'invalid_token');

    // A password's challenge still completes as a password login.
    t.clock.advance(30);
    const pwd = await expectAuthError(t.auth.login({ email: ada.email, password: PASSWORD }), 'two_factor_required');
    t.clock.advance(1);
    const byPassword = await t.auth.completeTwoFactorLogin({ challenge: (pwd.extra as { challenge: string }).challenge, code: codeAt(t, secret) });
    expect('accessToken' in byPassword && amrOf(byPassword.accessToken)).toEqual(['pwd', 'otp', 'mfa']);
    expect((await history(t, ada.accountId))[0]).toMatchObject({ method: 'password', success: true });
  });

  it('refuses a panic-locked account (account_locked, after a valid assertion)', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    await t.auth.panicLock({ group: G, accountId: ada.accountId });
    const assertion = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions());
    await expectAuthError(t.auth.verifyWebauthnLogin({ credential: assertion }), 'account_locked');
    expect((await history(t, ada.accountId))[0]).toMatchObject({ method: 'passkey', failureReason: 'account_locked' });
    expect(await t.storage.sessions.listByAccount(G, ada.accountId)).toEqual([]);
  });

  it('refuses a deleted account like an unknown passkey', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    await t.auth.deleteAccount({ group: G, accountId: ada.accountId, password: PASSWORD });
    const assertion = ada.authenticator.authenticate(await t.auth.webauthnLoginOptions());
    const error = await expectAuthError(t.auth.verifyWebauthnLogin({ credential: assertion }), 'invalid_credentials');
    expect(error.message).toBe(REFUSED);
  });
});
