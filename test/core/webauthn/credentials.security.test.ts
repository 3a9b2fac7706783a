import { describe, expect, it } from 'vitest';
import type { AuthEvent } from '../../../src/index.js';
import { expectAuthError, PASSWORD } from '../helpers.js';
import { createPasskeyAuth, memberWithPasskey, storedPasskey } from './helpers.js';

const G = 'default';

describe('passkey management', () => {
  it('lists, renames and deletes the account’s own passkeys', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const removed: AuthEvent<'webauthn.credential-removed'>[] = [];
    t.auth.events.on('webauthn.credential-removed', (e) => void removed.push(e));
    const own = { group: G, accountId: ada.accountId, credentialId: ada.credentialId };

    const renamed = await t.auth.renameWebauthnCredential({ ...own, name: 'Work laptop' });
    expect(renamed).toEqual({ id: ada.credentialId, name: 'Work laptop', createdAt: expect.any(String), lastUsedAt: null });
    expect(await t.auth.listWebauthnCredentials({ group: G, accountId: ada.accountId })).toEqual([renamed]);

    // Removing a way to sign in needs the same proof as adding one: a token alone is refused.
    await expectAuthError(t.auth.deleteWebauthnCredential(own), 'validation_failed');
    await expectAuthError(t.auth.deleteWebauthnCredential({ ...own, password: 'not the password' }), 'invalid_credentials');
    expect(await t.auth.listWebauthnCredentials({ group: G, accountId: ada.accountId })).toHaveLength(1);
    await t.auth.deleteWebauthnCredential({ ...own, password: PASSWORD });
    expect(await t.auth.listWebauthnCredentials({ group: G, accountId: ada.accountId })).toEqual([]);
    expect(removed.map((e) => [e.data.account.id, e.data.credentialId])).toEqual([[ada.accountId, ada.credentialId]]);
    await expectAuthError(t.auth.deleteWebauthnCredential({ ...own, password: PASSWORD }), 'not_found');

    // A removed passkey no longer signs in.
    const options = await t.auth.webauthnLoginOptions();
    const assertion = ada.authenticator.authenticate(options);
    await expectAuthError(t.auth.verifyWebauthnLogin({ credential: assertion }), 'invalid_credentials');
  });

  it("cannot see, rename or delete another account's passkey: not_found, and it is left alone", async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const eve = await memberWithPasskey(t, 'eve@example.com');
    const removed: unknown[] = [];
    t.auth.events.on('webauthn.credential-removed', (e) => void removed.push(e));

    expect((await t.auth.listWebauthnCredentials({ group: G, accountId: eve.accountId })).map((c) => c.id)).toEqual([eve.credentialId]);
    const target = { group: G, accountId: eve.accountId, credentialId: ada.credentialId };
    const rename = await expectAuthError(t.auth.renameWebauthnCredential({ ...target, name: 'pwned' }), 'not_found');
    expect(rename.message).toBe('No such passkey.');
    const remove = await expectAuthError(t.auth.deleteWebauthnCredential(target), 'not_found');
    expect(remove.message).toBe('No such passkey.');
    // The same answer as for an id that does not exist at all.
    await expectAuthError(t.auth.deleteWebauthnCredential({ ...target, credentialId: 'nope' }), 'not_found');

    expect(await storedPasskey(t, ada.credentialId)).toMatchObject({ accountId: ada.accountId, name: 'Passkey (2030-01-01)' });
    expect(removed).toEqual([]);
  });

  it('keeps passkeys apart per group', async () => {
    const t = createPasskeyAuth();
    await t.auth.createGroup({ id: 'acme' });
    const ada = await memberWithPasskey(t, 'ada@example.com', 'acme');
    expect(await t.auth.listWebauthnCredentials({ group: 'acme', accountId: ada.accountId })).toHaveLength(1);
    expect(await t.storage.webauthnCredentials.findById(G, ada.credentialId)).toBeNull();
    // Not signed in in the default group: its options and challenge cannot sign into `acme` either.
    const options = await t.auth.webauthnLoginOptions();
    await expectAuthError(t.auth.verifyWebauthnLogin({ credential: ada.authenticator.authenticate(options) }), 'invalid_credentials');
    const acme = await t.auth.webauthnLoginOptions({ group: 'acme' });
    await expectAuthError(
      t.auth.verifyWebauthnLogin({ credential: ada.authenticator.authenticate(acme) }),
      'invalid_token',
    );
  });

  it('validates new names', async () => {
    const t = createPasskeyAuth();
    const ada = await memberWithPasskey(t);
    const own = { group: G, accountId: ada.accountId, credentialId: ada.credentialId };
    await expectAuthError(t.auth.renameWebauthnCredential({ ...own, name: 'x'.repeat(101) }), 'validation_failed');
    await expectAuthError(t.auth.renameWebauthnCredential({ ...own, name: 'a\nb' }), 'validation_failed');
  });
});
