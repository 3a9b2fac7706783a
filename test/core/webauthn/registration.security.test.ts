import { describe, expect, it } from 'vitest';
import { hashToken } from '../../../src/core/lib/token-hash.js';
import type { AuthEvent } from '../../../src/index.js';
import { softwareAuthenticator } from '../../../src/testing/webauthn/software-authenticator.js';
import { createTestAuth, expectAuthError, PASSWORD } from '../helpers.js';
import { codeAt, enableTotp } from '../two-factor/helpers.js';
import { createPasskeyAuth, member, memberWithPasskey, ORIGIN } from './helpers.js';

const G = 'default';

describe('passkey registration', () => {
  it('hands out creation options for the signed-in account and stores the verified passkey', async () => {
    const t = createPasskeyAuth({ rpName: 'Example' });
    const ada = await member(t);
    const added: AuthEvent<'webauthn.credential-added'>[] = [];
    t.auth.events.on('webauthn.credential-added', (e) => void added.push(e));

    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Example' },
      user: { id: Buffer.from(ada.accountId).toString('base64url'), name: ada.email, displayName: ada.email },
      excludeCredentials: [],
      attestation: 'none',
      timeout: 300_000,
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    expect(Buffer.from(options.challenge, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(options.pubKeyCredParams.map((p) => p.alg)).toContain(-7);

    const credential = ada.authenticator.register(options);
    const passkey = await t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential });
    expect(passkey).toEqual({ id: credential.id, name: 'Passkey (2030-01-01)', createdAt: t.clock.now().toISOString() });

    const stored = await t.storage.webauthnCredentials.findById(G, credential.id);
    expect(stored).toMatchObject({
      accountId: ada.accountId,
      counter: 0,
      transports: ['internal'],
      deviceType: 'singleDevice',
      backedUp: false,
      lastUsedAt: null,
    });
    expect(stored!.publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await t.auth.listWebauthnCredentials({ group: G, accountId: ada.accountId })).toEqual([
      { id: credential.id, name: 'Passkey (2030-01-01)', createdAt: passkey.createdAt, lastUsedAt: null },
    ]);
    expect(added.map((e) => [e.data.account.id, e.data.credentialId])).toEqual([[ada.accountId, credential.id]]);
  });

  it('stores only the hash of the challenge, bound to the account, for challengeTtl seconds', async () => {
    const t = createPasskeyAuth({ challengeTtl: 120 });
    const ada = await member(t);
    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    const record = await t.storage.webauthnChallenges.consume(hashToken(options.challenge), 'registration', t.clock.now());
    expect(record).toMatchObject({ group: G, accountId: ada.accountId, purpose: 'registration' });
    expect(record!.expiresAt.getTime() - record!.createdAt.getTime()).toBe(120_000);
    expect(record!.hash).not.toBe(options.challenge);
  });

  it('names the passkey as asked and shows the account name', async () => {
    const t = createPasskeyAuth();
    const name = { first: 'Ada', last: 'Lovelace' };
    const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD, name });
    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: account.id });
    expect(options.user.displayName).toBe('Ada Lovelace');
    const credential = softwareAuthenticator({ origin: ORIGIN }).register(options);
    const passkey = await t.auth.verifyWebauthnRegistration({ group: G, accountId: account.id, password: PASSWORD, credential, name: '  MacBook  ' });
    expect(passkey.name).toBe('MacBook');
  });

  it('lists existing passkeys in excludeCredentials, so one authenticator is not registered twice', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    expect(options.excludeCredentials).toEqual([{ id: ada.credentialId, type: 'public-key', transports: ['internal'] }]);
    expect(() => ada.authenticator.register(options)).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
  });

  it('refuses a second registration of a known credential id (conflict)', async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    const first = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    const second = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    const credential = ada.authenticator.register(first);
    await t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential });
    // The same credential presented against a fresh challenge (a client that ignored excludeCredentials).
    const clientDataJSON = withChallenge(credential.response.clientDataJSON, second.challenge);
    const replayedKey = { ...credential, response: { ...credential.response, clientDataJSON } };
    // With attestation `none` nothing signs the client data, so only the unique credential id stops it.
    const error = await expectAuthError(
      t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential: replayedKey }),
      'conflict',
    );
    expect(error.message).toBe('This passkey is already registered.');
    expect(await t.storage.webauthnCredentials.listByAccount(G, ada.accountId)).toHaveLength(1);
  });

  it('refuses a response from another origin, and spends the challenge', async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    const phished = ada.authenticator.register(options, { origin: 'https://evil.example' });
    const error = await expectAuthError(
      t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential: phished }),
      'validation_failed',
    );
    expect(error.message).toBe('The passkey could not be verified.');
    expect(error.details).toEqual([{ path: 'credential', message: 'could not be verified' }]);
    expect(t.logger.lines.find((l) => l.message === 'passkey registration refused')?.fields?.reason).toMatch(/origin/);
    // The challenge is gone: even an honest answer to it is refused now.
    const honest = softwareAuthenticator({ origin: ORIGIN }).register(options);
    await expectAuthError(t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential: honest }), 'invalid_token');
    expect(await t.storage.webauthnCredentials.listByAccount(G, ada.accountId)).toEqual([]);
  });

  it('refuses a response signed for another RP ID', async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    const credential = ada.authenticator.register(options, { rpId: 'evil.example' });
    await expectAuthError(t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential }), 'validation_failed');
    expect(t.logger.lines.find((l) => l.message === 'passkey registration refused')?.fields?.reason).toMatch(/RP ID/);
  });

  it('refuses a passkey without user verification when it is required, accepts it when only preferred', async () => {
    const strict = createPasskeyAuth();
    const ada = await member(strict);
    const options = await strict.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    const credential = ada.authenticator.register(options, { userVerified: false });
    const refused = strict.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential });
    await expectAuthError(refused, 'validation_failed');

    const relaxed = createPasskeyAuth({ userVerification: 'preferred' });
    const bob = await member(relaxed, 'bob@example.com');
    const relaxedOptions = await relaxed.auth.webauthnRegistrationOptions({ group: G, accountId: bob.accountId });
    expect(relaxedOptions.authenticatorSelection?.userVerification).toBe('preferred');
    const unverified = bob.authenticator.register(relaxedOptions, { userVerified: false });
    await relaxed.auth.verifyWebauthnRegistration({ group: G, accountId: bob.accountId, password: PASSWORD, credential: unverified });
  });

  it('refuses a replayed registration response (the challenge works once)', async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    const credential = ada.authenticator.register(options);
    await t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential });
    const replayed = t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential });
    const error = await expectAuthError(replayed, 'invalid_token');
    expect(error.message).toBe('The passkey challenge is invalid, expired or already used.');
  });

  it("refuses another account's challenge: Ada's registration options answered for Bob", async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    const bob = await member(t, 'bob@example.com');
    const adaOptions = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    const credential = bob.authenticator.register(adaOptions);
    await expectAuthError(t.auth.verifyWebauthnRegistration({ group: G, accountId: bob.accountId, password: PASSWORD, credential }), 'invalid_token');
    expect(await t.storage.webauthnCredentials.listByAccount(G, bob.accountId)).toEqual([]);
    expect(await t.storage.webauthnCredentials.listByAccount(G, ada.accountId)).toEqual([]);
  });

  it('refuses an expired challenge and a login challenge', async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    t.clock.advance(300);
    const late = ada.authenticator.register(options);
    await expectAuthError(t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential: late }), 'invalid_token');

    const login = await t.auth.webauthnLoginOptions({ email: ada.email });
    const fromLogin = softwareAuthenticator({ origin: ORIGIN }).register({ ...options, challenge: login.challenge });
    const wrongPurpose = t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential: fromLogin });
    await expectAuthError(wrongPurpose, 'invalid_token');
  });

  it('validates the name and unreadable client data', async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    const credential = ada.authenticator.register(options);
    const badName = await expectAuthError(
      t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential, name: ' ' }),
      'validation_failed',
    );
    expect(badName.details).toEqual([{ path: 'name', message: 'must be 1 to 100 characters, without control characters' }]);
    const garbled = { ...credential, response: { ...credential.response, clientDataJSON: 'bm90IGpzb24' } };
    const unreadable = await expectAuthError(
      t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential: garbled }),
      'validation_failed',
    );
    expect(unreadable.details).toEqual([{ path: 'credential.response.clientDataJSON', message: 'is not valid client data' }]);
    // Neither spent the challenge.
    await t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential });
  });

  it('needs the password without a second factor: none is 400, a wrong one 401, and neither spends the challenge', async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    const credential = ada.authenticator.register(options);
    const ids = { group: G, accountId: ada.accountId, credential };
    const none = await expectAuthError(t.auth.verifyWebauthnRegistration(ids), 'validation_failed');
    expect(none.details).toEqual([{ path: 'password', message: 'is required' }]);
    await expectAuthError(t.auth.verifyWebauthnRegistration({ ...ids, password: `${PASSWORD}!` }), 'invalid_credentials');
    // An x-otp is no substitute while the account has no second factor.
    const otpOnly = await expectAuthError(t.auth.verifyWebauthnRegistration({ ...ids, otp: '123456' }), 'validation_failed');
    expect(otpOnly.details).toEqual([{ path: 'password', message: 'is required' }]);
    expect(await t.storage.webauthnCredentials.listByAccount(G, ada.accountId)).toEqual([]);
    // The challenge is still good for the owner.
    await t.auth.verifyWebauthnRegistration({ ...ids, password: PASSWORD });
    expect(await t.storage.webauthnCredentials.listByAccount(G, ada.accountId)).toHaveLength(1);
  });

  it('needs x-otp with a second factor: the password is no proof, a code is used once', async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    const { secret } = await enableTotp(t, ada.accountId);
    const register = async () => {
      const options = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
      return { group: G, accountId: ada.accountId, credential: softwareAuthenticator({ origin: ORIGIN }).register(options) };
    };
    const first = await register();
    const byPassword = await expectAuthError(t.auth.verifyWebauthnRegistration({ ...first, password: PASSWORD }), 'validation_failed');
    expect(byPassword.details).toEqual([{ path: 'x-otp', message: 'is required' }]);
    await expectAuthError(t.auth.verifyWebauthnRegistration({ ...first, otp: '000000' }), 'invalid_two_factor');
    const code = codeAt(t, secret);
    await t.auth.verifyWebauthnRegistration({ ...first, otp: code });
    // The same code does not add another.
    await expectAuthError(t.auth.verifyWebauthnRegistration({ ...(await register()), otp: code }), 'invalid_two_factor');
    expect(await t.storage.webauthnCredentials.listByAccount(G, ada.accountId)).toHaveLength(1);
  });

  it('purgeDeletedAccounts removes expired challenges, not live ones', async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    await t.auth.webauthnLoginOptions();
    t.clock.advance(300);
    const live = await t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId });
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ purged: 0, challengesRemoved: 2, loginAttemptsRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: 0, skipped: false });
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ purged: 0, challengesRemoved: 0, loginAttemptsRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: 0, skipped: false });
    expect(t.logger.lines.find((l) => l.message === 'removed expired passkey challenges')?.fields).toEqual({ removed: 2 });
    const credential = ada.authenticator.register(live);
    await t.auth.verifyWebauthnRegistration({ group: G, accountId: ada.accountId, password: PASSWORD, credential });
  });

  it('refuses a locked account', async () => {
    const t = createPasskeyAuth();
    const ada = await member(t);
    await t.auth.panicLock({ group: G, accountId: ada.accountId });
    await expectAuthError(t.auth.webauthnRegistrationOptions({ group: G, accountId: ada.accountId }), 'account_locked');
  });

  it('answers not_found everywhere when passkeys are not enabled', async () => {
    const t = createTestAuth();
    const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    const ids = { group: G, accountId: account.id };
    const credential = softwareAuthenticator().register({
      challenge: 'AAAAAAAAAAAAAAAAAAAAAA',
      rp: { id: 'localhost', name: 'x' },
      user: { id: 'dXNlcg', name: 'u', displayName: 'u' },
      pubKeyCredParams: [{ alg: -7, type: 'public-key' }],
    });
    const { clientDataJSON } = credential.response;
    const assertion = { ...credential, response: { clientDataJSON, authenticatorData: '', signature: '' } };
    const calls: Promise<unknown>[] = [
      t.auth.webauthnRegistrationOptions(ids),
      t.auth.verifyWebauthnRegistration({ ...ids, credential }),
      t.auth.listWebauthnCredentials(ids),
      t.auth.renameWebauthnCredential({ ...ids, credentialId: credential.id, name: 'x' }),
      t.auth.deleteWebauthnCredential({ ...ids, credentialId: credential.id }),
      t.auth.webauthnLoginOptions({ email: 'ada@example.com' }),
      t.auth.verifyWebauthnLogin({ credential: assertion }),
    ];
    for (const call of calls) expect((await expectAuthError(call, 'not_found')).message).toBe('Passkeys are not enabled.');
  });
});

/** The same client data, answering another challenge. */
function withChallenge(clientDataJSON: string, challenge: string): string {
  const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...data, challenge })).toString('base64url');
}
