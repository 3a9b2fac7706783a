import { describe, expect, it } from 'vitest';
import type { RefreshTokenRecord, Storage } from '../../core/ports.js';
import { expectAuthError, seedAccount, seedGroup, seedSession, type SuiteContext } from './helpers.js';
import { at, makeRefreshToken, uid } from './records.js';

/** Stores a group, account and session, and returns a factory of tokens belonging to that session. */
async function seedOwner(storage: Storage): Promise<(overrides?: Partial<RefreshTokenRecord>) => RefreshTokenRecord> {
  const { id: group } = await seedGroup(storage);
  const session = await seedSession(storage, await seedAccount(storage, group));
  return (overrides = {}) =>
    makeRefreshToken({ group, accountId: session.accountId, sessionId: session.id, ...overrides });
}

/** `storage.refreshTokens`. */
export function describeRefreshTokens(ctx: SuiteContext): void {
  describe('refreshTokens', () => {
    it('round-trips every field, rotated or not', async () => {
      const token = await seedOwner(ctx.storage);
      for (const record of [token(), token({ createdAt: at(1), rotatedAt: at(2) })]) {
        await ctx.storage.refreshTokens.create(record);
        expect(await ctx.storage.refreshTokens.findByHash(record.hash)).toStrictEqual(record);
      }
      expect(await ctx.storage.refreshTokens.findByHash(uid('hash'))).toBeNull();
    });

    it('refuses a second token with the same hash and keeps the first', async () => {
      const token = await seedOwner(ctx.storage);
      const first = token();
      await ctx.storage.refreshTokens.create(first);
      await expectAuthError(ctx.storage.refreshTokens.create({ ...first, createdAt: at(5) }), 'conflict');
      expect(await ctx.storage.refreshTokens.findByHash(first.hash)).toStrictEqual(first);
    });

    it('rotate marks the token rotated and stores its successor', async () => {
      const token = await seedOwner(ctx.storage);
      const first = token();
      const next = token({ createdAt: at(1_000) });
      await ctx.storage.refreshTokens.create(first);
      expect(await ctx.storage.refreshTokens.rotate(first.hash, next, at(1_000))).toBe(true);
      expect(await ctx.storage.refreshTokens.findByHash(first.hash)).toStrictEqual({ ...first, rotatedAt: at(1_000) });
      expect(await ctx.storage.refreshTokens.findByHash(next.hash)).toStrictEqual(next);

      // The successor rotates in turn.
      const third = token({ createdAt: at(2_000) });
      expect(await ctx.storage.refreshTokens.rotate(next.hash, third, at(2_000))).toBe(true);
      expect(await ctx.storage.refreshTokens.findByHash(third.hash)).toStrictEqual(third);
    });

    it('rotate of a token already rotated returns false, inserts nothing, changes nothing', async () => {
      const token = await seedOwner(ctx.storage);
      const first = token();
      await ctx.storage.refreshTokens.create(first);
      await ctx.storage.refreshTokens.rotate(first.hash, token(), at(1_000));
      const late = token();
      expect(await ctx.storage.refreshTokens.rotate(first.hash, late, at(2_000))).toBe(false);
      expect(await ctx.storage.refreshTokens.findByHash(late.hash)).toBeNull();
      expect(await ctx.storage.refreshTokens.findByHash(first.hash)).toStrictEqual({ ...first, rotatedAt: at(1_000) });
    });

    it('rotate of an unknown token returns false and inserts nothing', async () => {
      const token = await seedOwner(ctx.storage);
      const next = token();
      expect(await ctx.storage.refreshTokens.rotate(uid('hash'), next, at(1))).toBe(false);
      expect(await ctx.storage.refreshTokens.findByHash(next.hash)).toBeNull();
    });

    it('hands out copies: mutating what was passed in or returned changes nothing stored', async () => {
      const token = await seedOwner(ctx.storage);
      const first = token();
      const original = structuredClone(first);
      await ctx.storage.refreshTokens.create(first);
      first.createdAt.setTime(0);
      const found = await ctx.storage.refreshTokens.findByHash(first.hash);
      expect(found).toStrictEqual(original);
      found!.rotatedAt = at(1);
      const next = token();
      const nextOriginal = structuredClone(next);
      const when = at(7);
      await ctx.storage.refreshTokens.rotate(first.hash, next, when);
      next.createdAt.setTime(0);
      when.setTime(0);
      expect(await ctx.storage.refreshTokens.findByHash(next.hash)).toStrictEqual(nextOriginal);
      expect(await ctx.storage.refreshTokens.findByHash(first.hash)).toStrictEqual({ ...original, rotatedAt: at(7) });
    });
  });
}
