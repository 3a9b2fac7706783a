import { describe, expect, it } from 'vitest';
import type { AuthEvent } from '../../../src/index.js';
import type { JsonPatchOperation } from '../../../src/core/accounts/update-profile.js';
import { createTestAuth, expectAuthError, PASSWORD } from '../helpers.js';

const INVALID = 'The profile update is not valid.';

async function setup(name: { first?: string | null; last?: string | null } = { first: 'Ada', last: 'Byron' }) {
  const t = createTestAuth();
  const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD, name });
  const update = (patch: Parameters<typeof t.auth.updateProfile>[0]['patch']) =>
    t.auth.updateProfile({ group: 'default', accountId: account.id, patch });
  const stored = () => t.storage.accounts.findById('default', account.id);
  return { ...t, account, update, stored };
}

describe('updateProfile with a merge object', () => {
  it('sets the given fields, keeps the others, stores updatedAt and emits account.updated', async () => {
    const { auth, clock, update, stored } = await setup();
    const events: AuthEvent<'account.updated'>[] = [];
    auth.events.on('account.updated', (e) => void events.push(e));
    clock.advance(60);

    const result = await update({ name: { last: 'Lovelace' }, allowSupportLogin: true });
    expect(result.name).toEqual({ first: 'Ada', last: 'Lovelace' });
    expect(result.allowSupportLogin).toBe(true);
    expect(result.events.updatedAt).toBe(clock.now().toISOString());
    expect(await stored()).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', allowSupportLogin: true });
    expect((await stored())!.updatedAt).toEqual(clock.now());
    expect(events.map((e) => e.data.account)).toEqual([result]);
  });

  it('clears a name part with null or a blank string, and trims', async () => {
    const { update } = await setup();
    expect((await update({ name: { first: null, last: '   ' } })).name).toEqual({ first: null, last: null });
    expect((await update({ name: { first: '  Ada  ' } })).name).toEqual({ first: 'Ada', last: null });
  });

  it('stores nothing and emits nothing when nothing changes', async () => {
    const { auth, clock, update, account } = await setup();
    const events: unknown[] = [];
    auth.events.on('account.updated', (e) => void events.push(e));
    clock.advance(60);
    const result = await update({ name: { first: 'Ada' } });
    expect(result.events.updatedAt).toBe(account.events.updatedAt);
    expect(events).toEqual([]);
  });

  it('refuses unknown fields, wrong types and names over 100 characters', async () => {
    const { update, stored } = await setup();
    const before = await stored();
    const cases: [unknown, string][] = [
      [{ email: 'eve@example.com' }, 'email'],
      [{ roles: ['admin'] }, 'roles'],
      [{ name: { middle: 'X' } }, 'name.middle'],
      [{ allowSupportLogin: 'yes' }, 'allowSupportLogin'],
      [{ name: { first: 'x'.repeat(101) } }, 'name.first'],
    ];
    for (const [patch, path] of cases) {
      const error = await expectAuthError(update(patch as never), 'validation_failed');
      expect(error.message).toBe(INVALID);
      expect(error.details?.map((d) => d.path)).toEqual([path]);
    }
    const longest = 'x'.repeat(100);
    expect((await update({ name: { first: `  ${longest}  ` } })).name.first).toBe(longest);
    expect((await stored())!.email).toBe(before!.email);
  });

  it('answers not_found for a missing or deleted account', async () => {
    const { auth, storage, account } = await setup();
    await expectAuthError(
      auth.updateProfile({ group: 'default', accountId: 'acc_missing', patch: { allowSupportLogin: true } }),
      'not_found',
    );
    await storage.accounts.update('default', account.id, { status: 'deleted', deletedAt: new Date() });
    await expectAuthError(
      auth.updateProfile({ group: 'default', accountId: account.id, patch: { allowSupportLogin: true } }),
      'not_found',
    );
  });
});

describe('updateProfile with a JSON Patch', () => {
  it('applies replace, add and remove', async () => {
    const { update } = await setup();
    const result = await update([
      { op: 'replace', path: '/name/first', value: 'Augusta' },
      { op: 'add', path: '/allowSupportLogin', value: true },
      { op: 'remove', path: '/name/last' },
    ]);
    expect(result.name).toEqual({ first: 'Augusta', last: null });
    expect(result.allowSupportLogin).toBe(true);
    expect((await update([{ op: 'add', path: '/name', value: { first: 'Ada', last: 'King' } }])).name).toEqual({
      first: 'Ada',
      last: 'King',
    });
  });

  it('applies the patch when its test operations pass', async () => {
    const { update } = await setup();
    const result = await update([
      { op: 'test', path: '/name/last', value: 'Byron' },
      { op: 'test', path: '/allowSupportLogin', value: false },
      { op: 'replace', path: '/name/last', value: 'Lovelace' },
    ]);
    expect(result.name.last).toBe('Lovelace');
  });

  it('changes nothing when a test fails, even for operations before it', async () => {
    const { auth, update, stored } = await setup();
    const events: unknown[] = [];
    auth.events.on('account.updated', (e) => void events.push(e));
    const before = await stored();
    const error = await expectAuthError(
      update([
        { op: 'replace', path: '/name/first', value: 'Eve' },
        { op: 'test', path: '/name/last', value: 'Lovelace' },
        { op: 'replace', path: '/allowSupportLogin', value: true },
      ]),
      'validation_failed',
    );
    expect(error.details).toEqual([{ path: '1', message: 'test failed: the value is different' }]);
    expect(await stored()).toEqual(before);
    expect(events).toEqual([]);
  });

  it('moves and copies between allowed paths', async () => {
    const { update } = await setup();
    expect((await update([{ op: 'move', from: '/name/first', path: '/name/last' }])).name).toEqual({
      first: null,
      last: 'Ada',
    });
    expect((await update([{ op: 'copy', from: '/name/last', path: '/name/first' }])).name).toEqual({
      first: 'Ada',
      last: 'Ada',
    });
  });

  it('refuses paths outside the editable profile, naming the operation', async () => {
    const { update, stored } = await setup();
    const before = await stored();
    const cases: [JsonPatchOperation[], string[]][] = [
      [[{ op: 'replace', path: '/email', value: 'eve@example.com' }], ['0.path']],
      [
        [
          { op: 'replace', path: '/name/first', value: 'Eve' },
          { op: 'add', path: '/roles/-', value: 'admin' },
        ],
        ['1.path'],
      ],
      [[{ op: 'replace', path: '/id', value: 'acc_other' }], ['0.path']],
      [[{ op: 'remove', path: '' }], ['0.path']],
      [[{ op: 'add', path: '/name/middle', value: 'X' }], ['0.path']],
      [[{ op: 'copy', from: '/email', path: '/name/first' }], ['0.from']],
      [[{ op: 'move', from: '/passwordHash', path: '/roles' }], ['0.path', '0.from']],
      [[{ op: 'replace', path: '/__proto__/polluted', value: true }], ['0.path']],
      [[{ op: 'evil', path: '/name' } as never], ['0.op']],
      [[{ op: 'replace', path: '/name/first' }], ['0.value']],
    ];
    for (const [patch, paths] of cases) {
      const error = await expectAuthError(update(patch), 'validation_failed');
      expect(error.message).toBe(INVALID);
      expect(error.details?.map((d) => d.path).sort()).toEqual([...paths].sort());
    }
    expect(await stored()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an operation on a missing location and a result that is not a valid profile', async () => {
    const { update, stored } = await setup({});
    const before = await stored();
    const twice = await expectAuthError(
      update([
        { op: 'remove', path: '/name/first' },
        { op: 'remove', path: '/name/first' },
      ]),
      'validation_failed',
    );
    expect(twice.details).toEqual([{ path: '1.path', message: 'no value at this location' }]);
    const moved = await expectAuthError(
      update([
        { op: 'remove', path: '/name/last' },
        { op: 'move', from: '/name/last', path: '/name/first' },
      ]),
      'validation_failed',
    );
    expect(moved.details).toEqual([{ path: '1.from', message: 'no value at this location' }]);
    const cases: [JsonPatchOperation[], string][] = [
      [[{ op: 'replace', path: '/name/first', value: 'x'.repeat(101) }], 'name.first'],
      [[{ op: 'replace', path: '/name/first', value: 42 }], 'name.first'],
      [[{ op: 'replace', path: '/allowSupportLogin', value: 'true' }], 'allowSupportLogin'],
      [[{ op: 'remove', path: '/allowSupportLogin' }], 'allowSupportLogin'],
      [[{ op: 'replace', path: '/name', value: { first: 'Ada', roles: ['admin'] } }], 'name.roles'],
      [[{ op: 'replace', path: '/name', value: 'Ada' }], 'name'],
    ];
    for (const [patch, path] of cases) {
      const error = await expectAuthError(update(patch), 'validation_failed');
      expect(error.details?.map((d) => d.path)).toEqual([path]);
    }
    expect(await stored()).toEqual(before);
  });

  it('answers not_found for a patch on a deleted account', async () => {
    const { storage, account, update } = await setup();
    await storage.accounts.update('default', account.id, { status: 'deleted', deletedAt: new Date() });
    await expectAuthError(update([{ op: 'replace', path: '/allowSupportLogin', value: true }]), 'not_found');
  });
});
