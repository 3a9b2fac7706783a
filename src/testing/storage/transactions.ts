import { describe, expect, it } from 'vitest';
import { firstTokenOf, seedGroup, type SuiteContext } from './helpers.js';
import { makeAccount, makeOneTimeToken, makeOutboxEvent, makeSession } from './records.js';

/** A failure thrown on purpose inside a transaction, told apart from any other. */
class Abort extends Error {}

/** `Storage.transaction`: commit, rollback, nesting, and the atomic methods inline. */
export function describeTransactions(ctx: SuiteContext): void {
  describe('transaction', () => {
    it('commits what fn wrote when it resolves, and returns its value', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = makeAccount({ group });
      const result = await ctx.storage.transaction(async (tx) => {
        await tx.accounts.create(account);
        return tx.outbox.append(makeOutboxEvent({ group }));
      });
      expect(result.sequence).toBe(1);
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual(account);
      expect(await ctx.storage.outbox.find(group, result.id)).toStrictEqual(result);
    });

    it('rolls back everything fn wrote when it throws, and throws the error on', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = makeAccount({ group });
      const event = makeOutboxEvent({ group });
      const failure = new Abort('rolled back on purpose');
      await expect(
        ctx.storage.transaction(async (tx) => {
          await tx.accounts.create(account);
          await tx.outbox.append(event);
          expect(await tx.accounts.findById(group, account.id)).toStrictEqual(account);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await ctx.storage.accounts.findById(group, account.id)).toBeNull();
      expect(await ctx.storage.outbox.find(group, event.id)).toBeNull();
      // The sequence number went back too: the next event is the group's first.
      expect((await ctx.storage.outbox.append(makeOutboxEvent({ group }))).sequence).toBe(1);
    });

    it('runs a transaction started inside one inline: the outer rollback undoes it', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const inner = makeAccount({ group });
      const outer = makeAccount({ group });
      await expect(
        ctx.storage.transaction(async (tx) => {
          await tx.accounts.create(outer);
          await tx.transaction(async (nested) => nested.accounts.create(inner));
          throw new Abort();
        }),
      ).rejects.toBeInstanceOf(Abort);
      expect(await ctx.storage.accounts.findById(group, inner.id)).toBeNull();
      expect(await ctx.storage.accounts.findById(group, outer.id)).toBeNull();
    });

    it('runs the atomic methods that are transactions themselves inline, committed or rolled back with it', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = makeAccount({ group });
      const session = makeSession({ group, accountId: account.id });
      const token = makeOneTimeToken({ group, accountId: account.id, email: account.email });
      await ctx.storage.transaction(async (tx) => {
        await tx.accounts.create(account);
        await tx.sessions.create(session, firstTokenOf(session));
        await tx.oneTimeTokens.issue(token);
        await tx.recoveryCodes.replace(group, account.id, ['h1', 'h2'], session.createdAt);
      });
      expect(await ctx.storage.sessions.findById(group, session.id)).toStrictEqual(session);
      expect(await ctx.storage.oneTimeTokens.find(token.hash)).toStrictEqual(token);
      expect((await ctx.storage.accounts.findById(group, account.id))?.recoveryCodesRemaining).toBe(2);

      const later = makeSession({ group, accountId: account.id });
      await expect(
        ctx.storage.transaction(async (tx) => {
          await tx.sessions.create(later, firstTokenOf(later));
          expect(await tx.accounts.delete(group, account.id)).toBe(true);
          throw new Abort();
        }),
      ).rejects.toBeInstanceOf(Abort);
      expect(await ctx.storage.sessions.findById(group, later.id)).toBeNull();
      expect(await ctx.storage.sessions.findById(group, session.id)).toStrictEqual(session);
      expect(await ctx.storage.accounts.findById(group, account.id)).not.toBeNull();
    });

    it('keeps transactions that run at once apart: each commits or rolls back its own writes', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const accounts = Array.from({ length: 6 }, () => makeAccount({ group }));
      const results = await Promise.allSettled(
        accounts.map((account, i) =>
          ctx.storage.transaction(async (tx) => {
            await tx.accounts.create(account);
            await tx.outbox.append(makeOutboxEvent({ group }));
            if (i % 2 === 1) throw new Abort();
          }),
        ),
      );
      expect(results.map((r) => r.status)).toStrictEqual(accounts.map((_, i) => (i % 2 === 1 ? 'rejected' : 'fulfilled')));
      for (const [i, account] of accounts.entries()) {
        expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual(i % 2 === 1 ? null : account);
      }
      const events = await ctx.storage.outbox.list(group, { after: 0, limit: 100 });
      expect(events.map((e) => e.sequence)).toStrictEqual([1, 2, 3]);
    });
  });
}
