import { describe, expect, it } from 'vitest';
import { expectAuthError, type SuiteContext } from './helpers.js';
import { at, makeGroup, uid } from './records.js';

/** `storage.groups`: find, create, update. */
export function describeGroups(ctx: SuiteContext): void {
  describe('groups', () => {
    it('finds nothing for an unknown id', async () => {
      expect(await ctx.storage.groups.find(uid('grp'))).toBeNull();
    });

    it('round-trips every field, nulls and values alike', async () => {
      const bare = makeGroup();
      const full = makeGroup({ name: 'Acme', locked: true, ownerId: uid('acc'), createdAt: at(1), updatedAt: at(2) });
      await ctx.storage.groups.create(bare);
      await ctx.storage.groups.create(full);
      expect(await ctx.storage.groups.find(bare.id)).toStrictEqual(bare);
      expect(await ctx.storage.groups.find(full.id)).toStrictEqual(full);
    });

    it('refuses a second group with the same id and keeps the first', async () => {
      const group = makeGroup({ name: 'first' });
      await ctx.storage.groups.create(group);
      await expectAuthError(ctx.storage.groups.create({ ...group, name: 'second' }), 'conflict');
      expect(await ctx.storage.groups.find(group.id)).toStrictEqual(group);
    });

    it('applies a patch, returns the updated group and leaves other fields alone', async () => {
      const group = makeGroup({ name: 'Acme', ownerId: uid('acc') });
      await ctx.storage.groups.create(group);
      const patch = { name: null, locked: true, updatedAt: at(5_000) };
      const expected = { ...group, ...patch };
      expect(await ctx.storage.groups.update(group.id, patch)).toStrictEqual(expected);
      expect(await ctx.storage.groups.find(group.id)).toStrictEqual(expected);
      const renamed = await ctx.storage.groups.update(group.id, { name: 'Acme 2', ownerId: null });
      expect(renamed).toStrictEqual({ ...expected, name: 'Acme 2', ownerId: null });
    });

    it('returns null when updating an unknown group, and creates nothing', async () => {
      const id = uid('grp');
      expect(await ctx.storage.groups.update(id, { name: 'ghost' })).toBeNull();
      expect(await ctx.storage.groups.find(id)).toBeNull();
    });

    it('hands out copies: mutating what was passed in or returned changes nothing stored', async () => {
      const group = makeGroup({ name: 'Acme' });
      const original = structuredClone(group);
      await ctx.storage.groups.create(group);
      group.name = 'changed';
      group.createdAt.setTime(0);
      const found = await ctx.storage.groups.find(group.id);
      expect(found).toStrictEqual(original);
      found!.locked = true;
      found!.updatedAt.setTime(0);
      const updated = await ctx.storage.groups.update(group.id, { name: 'Acme' });
      updated!.ownerId = 'changed';
      expect(await ctx.storage.groups.find(group.id)).toStrictEqual(original);
    });
  });
}
