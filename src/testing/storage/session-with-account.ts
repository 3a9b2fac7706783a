import { describe, expect, it } from 'vitest';
import { fullAccount } from './accounts.js';
import { firstTokenOf, seedAccount, seedGroup, seedSession, type SuiteContext } from './helpers.js';
import { at, makeSession, uid } from './records.js';

/** `storage.sessions.findWithAccount`: the one read of an authenticated request. */
export function describeSessionWithAccount(ctx: SuiteContext): void {
  describe('sessions.findWithAccount', () => {
    it('returns the session and its account, every field of both as stored', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const plain = await seedAccount(ctx.storage, group);
      const plainSession = await seedSession(ctx.storage, plain);
      expect(await ctx.storage.sessions.findWithAccount(group, plainSession.id)).toStrictEqual({ session: plainSession, account: plain });

      // Both records with every field set: the columns the two tables share (id, group, created_at)
      // must each come back from their own table.
      const full = fullAccount(group);
      await ctx.storage.accounts.create(full);
      const fullSession = makeSession({
        group,
        accountId: full.id,
        amr: ['pwd', 'otp'],
        createdAt: at(101),
        lastUsedAt: at(102),
        expiresAt: at(103),
        ip: '2001:db8::1',
        userAgent: 'Mozilla/5.0',
      });
      await ctx.storage.sessions.create(fullSession, firstTokenOf(fullSession));
      expect(await ctx.storage.sessions.findWithAccount(group, fullSession.id)).toStrictEqual({ session: fullSession, account: full });
    });

    it('returns a revoked session too, with its revocation: the caller decides whether it is alive', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const session = await seedSession(ctx.storage, account);
      expect(await ctx.storage.sessions.revoke(group, session.id, at(7_000), 'sign_out')).toBe(true);
      const revoked = { ...session, revokedAt: at(7_000), revokedReason: 'sign_out' };
      expect(await ctx.storage.sessions.findWithAccount(group, session.id)).toStrictEqual({ session: revoked, account });
    });

    it('returns the account whatever its status', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      for (const status of ['locked', 'deleted'] as const) {
        const account = await seedAccount(ctx.storage, group, { status, statusChangedAt: at(5), statusReason: 'x' });
        const session = await seedSession(ctx.storage, account);
        const found = await ctx.storage.sessions.findWithAccount(group, session.id);
        expect(found).toStrictEqual({ session, account });
        expect(found?.account?.status).toBe(status);
      }
    });

    it('finds nothing for an unknown id or another group', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const session = await seedSession(ctx.storage, await seedAccount(ctx.storage, group));
      expect(await ctx.storage.sessions.findWithAccount(group, uid('ses'))).toBeNull();
      expect(await ctx.storage.sessions.findWithAccount(other, session.id)).toBeNull();
    });

    it("joins the account of the session's own group, not one with the same id elsewhere", async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const id = uid('acc');
      const elsewhere = await seedAccount(ctx.storage, other, { id, firstName: 'Elsewhere' });
      const account = await seedAccount(ctx.storage, group, { id, firstName: 'Here' });
      const session = await seedSession(ctx.storage, account);
      await seedSession(ctx.storage, elsewhere, { id: session.id });
      expect(await ctx.storage.sessions.findWithAccount(group, session.id)).toStrictEqual({ session, account });
      const mirrored = { ...session, group: other };
      expect(await ctx.storage.sessions.findWithAccount(other, session.id)).toStrictEqual({ session: mirrored, account: elsewhere });
    });

    it('hands out copies: mutating what it returned changes nothing stored', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group, { roles: ['member'] });
      const session = await seedSession(ctx.storage, account);
      const found = await ctx.storage.sessions.findWithAccount(group, session.id);
      found!.session.amr.push('otp');
      found!.account!.roles.push('admin');
      expect(await ctx.storage.sessions.findWithAccount(group, session.id)).toStrictEqual({ session, account });
    });
  });
}
