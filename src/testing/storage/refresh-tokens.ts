import { describe, expect, it } from 'vitest';
import type { AccountRecord, RefreshTokenRecord, SessionRecord, Storage } from '../../core/ports.js';
import { expectAuthError, seedAccount, seedGroup, seedSession, type SuiteContext } from './helpers.js';
import { at, makeRefreshToken, uid } from './records.js';

type TokenFactory = ((overrides?: Partial<RefreshTokenRecord>) => RefreshTokenRecord) & {
  account: AccountRecord;
  session: SessionRecord;
};

/** Stores a group, account and session, and returns a factory of tokens belonging to that session. */
async function seedOwner(storage: Storage): Promise<TokenFactory> {
  const { id: group } = await seedGroup(storage);
  const account = await seedAccount(storage, group);
  const session = await seedSession(storage, account);
  const factory = (overrides: Partial<RefreshTokenRecord> = {}) =>
    makeRefreshToken({ group, accountId: session.accountId, sessionId: session.id, ...overrides });
  return Object.assign(factory, { account, session });
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

    it('findWithSession reads the token with its session and account; null for an unknown hash', async () => {
      const token = await seedOwner(ctx.storage);
      const first = token({ createdAt: at(3) });
      await ctx.storage.refreshTokens.create(first);
      expect(await ctx.storage.refreshTokens.findWithSession(first.hash)).toStrictEqual({
        token: first,
        session: token.session,
        account: token.account,
      });
      // A rotated token and a revoked session are read as they are: the caller decides.
      await ctx.storage.refreshTokens.rotate(first.hash, token(), at(4));
      await ctx.storage.sessions.revoke(token.session.group, token.session.id, at(5), 'sign_out');
      const found = await ctx.storage.refreshTokens.findWithSession(first.hash);
      expect(found?.token).toStrictEqual({ ...first, rotatedAt: at(4) });
      expect(found?.session).toStrictEqual({ ...token.session, lastUsedAt: at(4), revokedAt: at(5), revokedReason: 'sign_out' });
      expect(found?.account).toStrictEqual(token.account);
      expect(await ctx.storage.refreshTokens.findWithSession(uid('hash'))).toBeNull();
    });

    it("findWithSession reads the token's own session and account, never another's", async () => {
      const mine = await seedOwner(ctx.storage);
      const theirs = await seedOwner(ctx.storage);
      const token = mine();
      await ctx.storage.refreshTokens.create(token);
      await ctx.storage.refreshTokens.create(theirs());
      const found = await ctx.storage.refreshTokens.findWithSession(token.hash);
      expect(found).toStrictEqual({ token, session: mine.session, account: mine.account });
    });

    it("rotate marks the token rotated, stores its successor and records the session's use", async () => {
      const token = await seedOwner(ctx.storage);
      const first = token();
      const next = token({ createdAt: at(1_000) });
      await ctx.storage.refreshTokens.create(first);
      expect(await ctx.storage.refreshTokens.rotate(first.hash, next, at(1_000))).toBe('rotated');
      expect(await ctx.storage.refreshTokens.findByHash(first.hash)).toStrictEqual({ ...first, rotatedAt: at(1_000) });
      expect(await ctx.storage.refreshTokens.findByHash(next.hash)).toStrictEqual(next);
      const { group, id } = token.session;
      expect(await ctx.storage.sessions.findById(group, id)).toStrictEqual({ ...token.session, lastUsedAt: at(1_000) });

      // The successor rotates in turn, at the time already stored too (MySQL may count no changed row).
      const third = token({ createdAt: at(1_000) });
      expect(await ctx.storage.refreshTokens.rotate(next.hash, third, at(1_000))).toBe('rotated');
      expect(await ctx.storage.refreshTokens.findByHash(third.hash)).toStrictEqual(third);
      expect(await ctx.storage.sessions.findById(group, id)).toStrictEqual({ ...token.session, lastUsedAt: at(1_000) });
    });

    it('rotate of a token already rotated returns spent, inserts nothing, changes no token', async () => {
      const token = await seedOwner(ctx.storage);
      const first = token();
      await ctx.storage.refreshTokens.create(first);
      await ctx.storage.refreshTokens.rotate(first.hash, token(), at(1_000));
      const late = token();
      expect(await ctx.storage.refreshTokens.rotate(first.hash, late, at(2_000))).toBe('spent');
      expect(await ctx.storage.refreshTokens.findByHash(late.hash)).toBeNull();
      expect(await ctx.storage.refreshTokens.findByHash(first.hash)).toStrictEqual({ ...first, rotatedAt: at(1_000) });
    });

    it('rotate of an unknown token returns spent and inserts nothing', async () => {
      const token = await seedOwner(ctx.storage);
      const next = token();
      expect(await ctx.storage.refreshTokens.rotate(uid('hash'), next, at(1))).toBe('spent');
      expect(await ctx.storage.refreshTokens.findByHash(next.hash)).toBeNull();
    });

    it('rotate under a revoked session returns ended and changes nothing', async () => {
      const token = await seedOwner(ctx.storage);
      const first = token();
      await ctx.storage.refreshTokens.create(first);
      const { group, id } = token.session;
      await ctx.storage.sessions.revoke(group, id, at(500), 'sign_out');
      const revoked = await ctx.storage.sessions.findById(group, id);
      const next = token();
      expect(await ctx.storage.refreshTokens.rotate(first.hash, next, at(1_000))).toBe('ended');
      expect(await ctx.storage.refreshTokens.findByHash(first.hash)).toStrictEqual(first);
      expect(await ctx.storage.refreshTokens.findByHash(next.hash)).toBeNull();
      expect(await ctx.storage.sessions.findById(group, id)).toStrictEqual(revoked);
    });

    it('rotate of a spent token under a revoked session returns spent: reuse outranks the sign-out', async () => {
      const token = await seedOwner(ctx.storage);
      const first = token();
      await ctx.storage.refreshTokens.create(first);
      await ctx.storage.refreshTokens.rotate(first.hash, token(), at(1_000));
      await ctx.storage.sessions.revoke(token.session.group, token.session.id, at(1_500), 'sign_out');
      expect(await ctx.storage.refreshTokens.rotate(first.hash, token(), at(2_000))).toBe('spent');
    });

    it("rotate never touches another group's session of the same id", async () => {
      const token = await seedOwner(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const first = token();
      await ctx.storage.refreshTokens.create(first);
      // A successor that names another group: there is no such session there.
      expect(await ctx.storage.refreshTokens.rotate(first.hash, token({ group: other }), at(1_000))).toBe('ended');
      expect(await ctx.storage.refreshTokens.findByHash(first.hash)).toStrictEqual(first);
      expect(await ctx.storage.sessions.findById(token.session.group, token.session.id)).toStrictEqual(token.session);
    });

    it('rotate inside a transaction sees a revocation committed before it', async () => {
      const token = await seedOwner(ctx.storage);
      const first = token();
      await ctx.storage.refreshTokens.create(first);
      await ctx.storage.sessions.revoke(token.session.group, token.session.id, at(1), 'sign_out_everywhere');
      const outcome = await ctx.storage.transaction((tx) => tx.refreshTokens.rotate(first.hash, token(), at(5_000)));
      expect(outcome).toBe('ended');
    });

    it('rotate with a successor hash already taken throws conflict and changes nothing', async () => {
      const token = await seedOwner(ctx.storage);
      const first = token();
      const taken = token();
      await ctx.storage.refreshTokens.create(first);
      await ctx.storage.refreshTokens.create(taken);
      await expectAuthError(ctx.storage.refreshTokens.rotate(first.hash, { ...token(), hash: taken.hash }, at(1_000)), 'conflict');
      expect(await ctx.storage.refreshTokens.findByHash(first.hash)).toStrictEqual(first);
      expect(await ctx.storage.sessions.findById(token.session.group, token.session.id)).toStrictEqual(token.session);
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
      const { group, id } = token.session;
      expect(await ctx.storage.sessions.findById(group, id)).toStrictEqual({ ...token.session, lastUsedAt: at(7) });
      const joined = await ctx.storage.refreshTokens.findWithSession(next.hash);
      joined!.token.createdAt.setTime(0);
      joined!.session!.lastUsedAt.setTime(0);
      joined!.account!.createdAt.setTime(0);
      expect(await ctx.storage.refreshTokens.findWithSession(next.hash)).toStrictEqual({
        token: nextOriginal,
        session: { ...token.session, lastUsedAt: at(7) },
        account: token.account,
      });
    });
  });
}
