import { describe, expect, it } from 'vitest';
import { expectAuthError, seedGroup, type SuiteContext } from './helpers.js';
import { at, makeSigningKey, uid } from './records.js';

/** `storage.signingKeys`. */
export function describeSigningKeys(ctx: SuiteContext): void {
  describe('signingKeys', () => {
    it('lists nothing for a group without keys', async () => {
      expect(await ctx.storage.signingKeys.listByGroup(uid('grp'))).toStrictEqual([]);
    });

    it("round-trips every field and lists a group's keys highest generation first", async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const second = makeSigningKey({ group, generation: 2, alg: 'ES256', createdAt: at(2) });
      const first = makeSigningKey({ group, generation: 1, createdAt: at(1) });
      const third = makeSigningKey({ group, generation: 3, createdAt: at(3) });
      for (const key of [second, first, third]) await ctx.storage.signingKeys.create(key);
      expect(await ctx.storage.signingKeys.listByGroup(group)).toStrictEqual([third, second, first]);
    });

    it('scopes keys by group; the same generation in two groups is two keys', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const mine = makeSigningKey({ group });
      const theirs = makeSigningKey({ group: other });
      await ctx.storage.signingKeys.create(mine);
      await ctx.storage.signingKeys.create(theirs);
      expect(await ctx.storage.signingKeys.listByGroup(group)).toStrictEqual([mine]);
      expect(await ctx.storage.signingKeys.listByGroup(other)).toStrictEqual([theirs]);
    });

    it('refuses a second key of the same generation in a group, keeping the first', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const key = makeSigningKey({ group, generation: 4 });
      await ctx.storage.signingKeys.create(key);
      await expectAuthError(ctx.storage.signingKeys.create(makeSigningKey({ group, generation: 4 })), 'conflict');
      expect(await ctx.storage.signingKeys.listByGroup(group)).toStrictEqual([key]);
    });

    it('refuses a second key with the same id, keeping the first', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const key = makeSigningKey({ group, generation: 1 });
      await ctx.storage.signingKeys.create(key);
      await expectAuthError(ctx.storage.signingKeys.create({ ...key, generation: 2 }), 'conflict');
      expect(await ctx.storage.signingKeys.listByGroup(group)).toStrictEqual([key]);
    });

    it('hands out copies: mutating what was passed in or returned changes nothing stored', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const key = makeSigningKey({ group });
      const original = structuredClone(key);
      await ctx.storage.signingKeys.create(key);
      key.createdAt.setTime(0);
      key.alg = 'none';
      const [listed] = await ctx.storage.signingKeys.listByGroup(group);
      listed!.generation = 99;
      expect(await ctx.storage.signingKeys.listByGroup(group)).toStrictEqual([original]);
    });
  });
}
