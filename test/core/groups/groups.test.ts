import { describe, expect, it } from 'vitest';
import { createTestAuth, expectAuthError, PASSWORD, registerAndLogin } from '../helpers.js';

describe('groups', () => {
  it('creates a group with defaults', async () => {
    const { auth, clock, storage } = createTestAuth();
    const group = await auth.createGroup({ id: 'acme', name: 'Acme Inc.' });
    expect(group).toEqual({
      id: 'acme',
      name: 'Acme Inc.',
      locked: false,
      ownerId: null,
      settings: {},
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect(await storage.groups.find('acme')).toEqual(group);
  });

  it.each(['', 'Acme', 'a b', '-acme', 'acme/x', '../default', 'a'.repeat(64), 'ａｃｍｅ'])(
    'refuses the group id %j',
    async (id) => {
      const { auth } = createTestAuth();
      await expectAuthError(auth.createGroup({ id }), 'validation_failed');
    },
  );

  it('refuses a duplicate with conflict', async () => {
    const { auth } = createTestAuth();
    await auth.createGroup({ id: 'acme' });
    await expectAuthError(auth.createGroup({ id: 'acme' }), 'conflict');
  });

  it('the default group exists without being created; others must be', async () => {
    const { auth } = createTestAuth();
    await expect(auth.assertGroup('default')).resolves.toBeUndefined();
    await expectAuthError(auth.assertGroup('acme'), 'not_found');
    await auth.createGroup({ id: 'acme' });
    await expect(auth.assertGroup('acme')).resolves.toBeUndefined();
  });

  it('login and refresh in an unknown group fail without creating it', async () => {
    const { auth, storage } = createTestAuth();
    await expect(auth.login({ group: 'nope', email: 'ada@example.com', password: PASSWORD })).rejects.toMatchObject({
      name: 'AuthError',
    });
    await expect(auth.refresh({ group: 'nope', refreshToken: 'x' })).rejects.toMatchObject({ name: 'AuthError' });
    expect(await storage.groups.find('nope')).toBeNull();
  });
});

describe('getAccount', () => {
  it('returns the account resource, and not_found in another group or for an unknown id', async () => {
    const { auth } = createTestAuth();
    await auth.createGroup({ id: 'acme' });
    const { account } = await registerAndLogin(auth);
    await expect(auth.getAccount({ group: 'default', accountId: account.id })).resolves.toEqual(account);
    await expectAuthError(auth.getAccount({ group: 'acme', accountId: account.id }), 'not_found');
    await expectAuthError(auth.getAccount({ group: 'default', accountId: 'acc_nope' }), 'not_found');
  });
});

describe('group ownership', () => {
  it('passes only from the owner: another administrator can neither take it nor give it away', async () => {
    const { auth } = createTestAuth();
    const { account: owner } = await registerAndLogin(auth, { email: 'owner@example.com' });
    const { account: other } = await registerAndLogin(auth, { email: 'other@example.com' });
    const { account: third } = await registerAndLogin(auth, { email: 'third@example.com' });
    // Ownerless: an administrator may name an owner.
    await auth.updateGroup({ patch: { ownerId: owner.id }, actorId: other.id });

    await expectAuthError(auth.updateGroup({ patch: { ownerId: other.id }, actorId: other.id }), 'forbidden');
    await expectAuthError(auth.updateGroup({ patch: { ownerId: third.id }, actorId: other.id }), 'forbidden');
    await expectAuthError(auth.updateGroup({ patch: { ownerId: null }, actorId: other.id }), 'forbidden');
    expect((await auth.getGroup({})).ownerId).toBe(owner.id);
    // Naming the same owner again changes nothing and is no hand-over.
    await expect(auth.updateGroup({ patch: { ownerId: owner.id, name: 'Acme' }, actorId: other.id })).resolves.toMatchObject({ name: 'Acme' });

    await auth.updateGroup({ patch: { ownerId: other.id }, actorId: owner.id });
    expect((await auth.getGroup({})).ownerId).toBe(other.id);
    await auth.updateGroup({ patch: { ownerId: third.id } }); // the app itself
    expect((await auth.getGroup({})).ownerId).toBe(third.id);
  });
});
