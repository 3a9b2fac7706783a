import { describe, expect, it } from 'vitest';
import { expectAuthError, firstTokenOf, seedAccount, seedGroup, seedSession, type SuiteContext } from './helpers.js';
import { at, makeSession, uid } from './records.js';

/** `storage.sessions`. */
export function describeSessions(ctx: SuiteContext): void {
  describe('sessions', () => {
    it('round-trips every field, nulls and values alike', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const bare = makeSession({ group, accountId: account.id });
      const full = makeSession({
        group,
        accountId: account.id,
        amr: ['pwd', 'otp'],
        createdAt: at(1),
        lastUsedAt: at(2),
        expiresAt: at(3),
        revokedAt: at(4),
        revokedReason: 'sign_out',
        ip: '2001:db8::1',
        userAgent: 'Mozilla/5.0',
      });
      for (const session of [bare, full]) {
        await ctx.storage.sessions.create(session, firstTokenOf(session));
        expect(await ctx.storage.sessions.findById(group, session.id)).toStrictEqual(session);
      }
    });

    it('create stores the first refresh token with the session, or neither', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const session = makeSession({ group, accountId: account.id });
      const token = firstTokenOf(session);
      await ctx.storage.sessions.create(session, token);
      expect(await ctx.storage.refreshTokens.findByHash(token.hash)).toStrictEqual(token);

      const second = makeSession({ group, accountId: account.id });
      await expectAuthError(ctx.storage.sessions.create(second, { ...firstTokenOf(second), hash: token.hash }), 'conflict');
      expect(await ctx.storage.sessions.findById(group, second.id)).toBeNull();
      expect(await ctx.storage.refreshTokens.findByHash(token.hash)).toStrictEqual(token);
    });

    it('finds nothing for an unknown id or another group', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const session = await seedSession(ctx.storage, await seedAccount(ctx.storage, group));
      expect(await ctx.storage.sessions.findById(group, uid('ses'))).toBeNull();
      expect(await ctx.storage.sessions.findById(other, session.id)).toBeNull();
      expect(await ctx.storage.sessions.listByAccount(other, session.accountId)).toStrictEqual([]);
    });

    it("lists an account's live and revoked sessions, newest first, and no one else's", async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const middle = await seedSession(ctx.storage, account, { createdAt: at(2_000), revokedAt: at(3_000), revokedReason: 'x' });
      const oldest = await seedSession(ctx.storage, account, { createdAt: at(1_000) });
      const newest = await seedSession(ctx.storage, account, { createdAt: at(3_000) });
      await seedSession(ctx.storage, await seedAccount(ctx.storage, group), { createdAt: at(2_500) });
      expect(await ctx.storage.sessions.listByAccount(group, account.id)).toStrictEqual([newest, middle, oldest]);
      expect(await ctx.storage.sessions.listByAccount(group, uid('acc'))).toStrictEqual([]);
    });

    it('revoke returns true once, then false and leaves the first revocation as it was', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const session = await seedSession(ctx.storage, await seedAccount(ctx.storage, group));
      const revoked = { ...session, revokedAt: at(1_000), revokedReason: 'sign_out' };
      expect(await ctx.storage.sessions.revoke(group, session.id, at(1_000), 'sign_out')).toBe(true);
      expect(await ctx.storage.sessions.findById(group, session.id)).toStrictEqual(revoked);
      expect(await ctx.storage.sessions.revoke(group, session.id, at(2_000), 'again')).toBe(false);
      expect(await ctx.storage.sessions.findById(group, session.id)).toStrictEqual(revoked);
    });

    it('revoke returns false for an unknown session or another group', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const session = await seedSession(ctx.storage, await seedAccount(ctx.storage, group));
      expect(await ctx.storage.sessions.revoke(group, uid('ses'), at(1), 'x')).toBe(false);
      expect(await ctx.storage.sessions.revoke(other, session.id, at(1), 'x')).toBe(false);
      expect(await ctx.storage.sessions.findById(group, session.id)).toStrictEqual(session);
    });

    it('revokeAllForAccount revokes live sessions except one, returns their ids, spares the rest', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const live = [await seedSession(ctx.storage, account), await seedSession(ctx.storage, account)];
      const current = await seedSession(ctx.storage, account);
      const dead = await seedSession(ctx.storage, account, { revokedAt: at(1), revokedReason: 'earlier' });
      const bystander = await seedSession(ctx.storage, await seedAccount(ctx.storage, group));

      expect(await ctx.storage.sessions.revokeAllForAccount(other, account.id, at(9), 'x')).toStrictEqual([]);
      const ids = await ctx.storage.sessions.revokeAllForAccount(group, account.id, at(5), 'password_changed', current.id);
      expect([...ids].sort()).toStrictEqual(live.map((s) => s.id).sort());
      for (const session of live) {
        const expected = { ...session, revokedAt: at(5), revokedReason: 'password_changed' };
        expect(await ctx.storage.sessions.findById(group, session.id)).toStrictEqual(expected);
      }
      for (const untouched of [current, dead, bystander]) {
        expect(await ctx.storage.sessions.findById(group, untouched.id)).toStrictEqual(untouched);
      }
      const rest = await ctx.storage.sessions.revokeAllForAccount(group, account.id, at(6), 'sign_out_everywhere');
      expect(rest).toStrictEqual([current.id]);
      expect(await ctx.storage.sessions.revokeAllForAccount(group, account.id, at(7), 'again')).toStrictEqual([]);
    });

    it('hands out copies: mutating what was passed in or returned changes nothing stored', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const session = makeSession({ group, accountId: (await seedAccount(ctx.storage, group)).id });
      const original = structuredClone(session);
      await ctx.storage.sessions.create(session, firstTokenOf(session));
      session.amr.push('otp');
      session.expiresAt.setTime(0);
      const [listed] = await ctx.storage.sessions.listByAccount(group, session.accountId);
      expect(listed).toStrictEqual(original);
      listed!.amr.push('otp');
      expect(await ctx.storage.sessions.findById(group, session.id)).toStrictEqual(original);
    });
  });
}
