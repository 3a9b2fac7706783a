import { describe, expect, it } from 'vitest';
import type { GroupRecord, Storage } from '../../core/ports.js';
import { expectAuthError, race, seedAccount, seedGroup, seedSession, type SuiteContext } from './helpers.js';
import { at, makeGroup, makeLoginAttempt, makeSigningKey, makeWebAuthnChallenge, uid } from './records.js';

/** Every group, through every page of `list` with page size `limit`. */
async function listAll(storage: Storage, limit: number): Promise<GroupRecord[]> {
  const all: GroupRecord[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const result = await storage.groups.list({ limit, cursor });
    expect(result.data.length).toBeLessThanOrEqual(limit);
    all.push(...result.data);
    if (result.nextCursor === null) return all;
    cursor = result.nextCursor;
  }
  throw new Error('groups.list never ended');
}

/** `storage.groups`: find, create, update, list, delete. */
export function describeGroups(ctx: SuiteContext): void {
  describe('groups', () => {
    it('finds nothing for an unknown id', async () => {
      expect(await ctx.storage.groups.find(uid('grp'))).toBeNull();
    });

    it('round-trips every field, nulls and values alike', async () => {
      const bare = makeGroup();
      const settings = {
        allowRegistration: false,
        requireEmailVerification: true,
        requireTwoFactor: true,
        passwordMinLength: 12,
        accessTokenTtl: 300,
        sessionIdleTimeout: 3600,
      };
      const full = makeGroup({ name: 'Acme', locked: true, ownerId: uid('acc'), settings, createdAt: at(1), updatedAt: at(2) });
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

    it('replaces the settings whole on update, and keeps them on every other change', async () => {
      const group = makeGroup({ settings: { requireTwoFactor: true, accessTokenTtl: 600 } });
      await ctx.storage.groups.create(group);
      expect((await ctx.storage.groups.update(group.id, { locked: true }))!.settings).toStrictEqual(group.settings);
      const next = { passwordMinLength: 14 };
      expect((await ctx.storage.groups.update(group.id, { settings: next }))!.settings).toStrictEqual(next);
      expect((await ctx.storage.groups.find(group.id))!.settings).toStrictEqual(next);
      expect((await ctx.storage.groups.update(group.id, { settings: {} }))!.settings).toStrictEqual({});
      expect((await ctx.storage.groups.find(group.id))!.settings).toStrictEqual({});
    });

    it('lists every group by id, page by page, without repeats or gaps', async () => {
      const mine = [makeGroup(), makeGroup(), makeGroup(), makeGroup(), makeGroup()];
      for (const group of mine) await ctx.storage.groups.create(group);
      for (const limit of [2, 1000]) {
        const all = await listAll(ctx.storage, limit);
        const ids = all.map((g) => g.id);
        expect(new Set(ids).size, 'no group twice').toBe(ids.length);
        expect(ids).toStrictEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        for (const group of mine) expect(all.find((g) => g.id === group.id)).toStrictEqual(group);
      }
    });

    it('keeps a page boundary where it was when groups are added and removed between pages', async () => {
      await ctx.storage.groups.create(makeGroup());
      await ctx.storage.groups.create(makeGroup());
      const first = await ctx.storage.groups.list({ limit: 1 });
      expect(first.data).toHaveLength(1);
      const boundary = first.data[0]!.id;
      await ctx.storage.groups.create(makeGroup());
      const rest = await ctx.storage.groups.list({ limit: 1000, cursor: first.nextCursor });
      expect(rest.data.every((g) => g.id > boundary)).toBe(true);
    });

    it('refuses a malformed cursor and a bad limit with validation_failed', async () => {
      await expectAuthError(ctx.storage.groups.list({ limit: 10, cursor: 'not a cursor' }), 'validation_failed');
      await expectAuthError(ctx.storage.groups.list({ limit: 0 }), 'validation_failed');
    });

    it('deletes an empty group with its keys, audit log and account-less history; not_found after', async () => {
      const group = await seedGroup(ctx.storage);
      const other = await seedGroup(ctx.storage);
      await ctx.storage.signingKeys.create(makeSigningKey({ group: group.id }));
      const otherKey = makeSigningKey({ group: other.id });
      await ctx.storage.signingKeys.create(otherKey);
      await ctx.storage.loginAttempts.record(makeLoginAttempt({ group: group.id, email: 'nobody@example.com' }));
      await ctx.storage.webauthnChallenges.create(makeWebAuthnChallenge({ group: group.id }));
      const entry = { id: uid('aud'), group: group.id, time: at(), actorId: null, actorIp: null, action: 'group.update', targetType: 'group', targetId: group.id, details: null };
      await ctx.storage.auditLog.record(entry);
      expect(await ctx.storage.groups.delete(group.id)).toBe('deleted');
      expect(await ctx.storage.groups.find(group.id)).toBeNull();
      expect(await ctx.storage.signingKeys.listByGroup(group.id)).toStrictEqual([]);
      expect((await ctx.storage.auditLog.list(group.id, { limit: 10 })).data).toStrictEqual([]);
      expect(await ctx.storage.signingKeys.listByGroup(other.id)).toStrictEqual([otherKey]);
      expect(await ctx.storage.groups.delete(group.id)).toBe('not_found');
      // The id is free again, and the new group starts with nothing of the old one.
      await ctx.storage.groups.create(makeGroup({ id: group.id }));
      expect(await ctx.storage.signingKeys.listByGroup(group.id)).toStrictEqual([]);
    });

    it('refuses to delete a group that holds an account, whatever its status, and changes nothing', async () => {
      const group = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group.id, { status: 'deleted', deletedAt: at() });
      const session = await seedSession(ctx.storage, account);
      const key = makeSigningKey({ group: group.id });
      await ctx.storage.signingKeys.create(key);
      expect(await ctx.storage.groups.delete(group.id)).toBe('not_empty');
      expect(await ctx.storage.groups.find(group.id)).toStrictEqual(group);
      expect(await ctx.storage.accounts.findById(group.id, account.id)).not.toBeNull();
      expect(await ctx.storage.sessions.findById(group.id, session.id)).not.toBeNull();
      expect(await ctx.storage.signingKeys.listByGroup(group.id)).toStrictEqual([key]);
      expect(await ctx.storage.accounts.delete(group.id, account.id)).toBe(true);
      expect(await ctx.storage.groups.delete(group.id)).toBe('deleted');
    });

    it('deletes a group once under 20 concurrent calls', async () => {
      const group = await seedGroup(ctx.storage);
      const results = await race(20, () => ctx.storage.groups.delete(group.id));
      const values = results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'));
      expect(values.filter((v) => v === 'deleted')).toHaveLength(1);
      expect(values.filter((v) => v !== 'deleted' && v !== 'not_found')).toStrictEqual([]);
    });
  });
}
