import { describe, expect, it } from 'vitest';
import type { AccountRecord, LoginAttemptRecord, Storage } from '../../core/ports.js';
import { expectAuthError, seedAccount, seedGroup, type SuiteContext } from './helpers.js';
import { at, makeLoginAttempt, uid } from './records.js';

/** Records attempts of `account` at the given millisecond offsets, in that order; ids sort by position. */
async function recordAt(storage: Storage, account: AccountRecord, offsets: number[]): Promise<LoginAttemptRecord[]> {
  const prefix = uid('lgn');
  const attempts = offsets.map((offset, i) =>
    makeLoginAttempt({
      id: `${prefix}_${String(i).padStart(3, '0')}`,
      group: account.group,
      accountId: account.id,
      email: account.email,
      time: at(offset),
    }),
  );
  for (const attempt of attempts) await storage.loginAttempts.record(attempt);
  return attempts;
}

/** Newest first, as the port orders them: time descending, then id descending. */
function newestFirst(attempts: LoginAttemptRecord[]): LoginAttemptRecord[] {
  return [...attempts].sort((a, b) => b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : -1));
}

/** Reads every page with `limit`, asserting each page's size; returns the pages' data. */
async function readAll(storage: Storage, account: AccountRecord, limit: number): Promise<LoginAttemptRecord[][]> {
  const pages: LoginAttemptRecord[][] = [];
  let cursor: string | null = null;
  do {
    const page = await storage.loginAttempts.listByAccount(account.group, account.id, { limit, cursor });
    expect(page.data.length).toBeLessThanOrEqual(limit);
    pages.push(page.data);
    cursor = page.nextCursor;
    expect(pages.length, 'pagination ends').toBeLessThan(100);
  } while (cursor !== null);
  return pages;
}

/** `storage.loginAttempts`. */
export function describeLoginAttempts(ctx: SuiteContext): void {
  describe('loginAttempts', () => {
    it('round-trips the actor of a support login, and keeps its address out of the successful ips', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const attempt = makeLoginAttempt({
        id: uid('lgn'),
        group,
        accountId: account.id,
        email: account.email,
        time: at(0),
        method: 'support',
        ip: null,
        success: true,
        failureReason: null,
        actor: { id: uid('acc'), ip: '203.0.113.9' },
      });
      await ctx.storage.loginAttempts.record(attempt);
      const page = await ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 10 });
      expect(page.data).toEqual([attempt]);
      const ips = await ctx.storage.loginAttempts.listSuccessfulIps(group, account.id, { since: at(-1000), limit: 10 });
      expect(ips).toEqual([]);
    });

    it('round-trips every field, nulls and values alike', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const full = makeLoginAttempt({
        group, accountId: account.id, email: account.email, time: at(2), ip: '203.0.113.9',
        userAgent: 'curl/8', success: true, method: 'passkey', failureReason: null,
      });
      const bare = makeLoginAttempt({ group, accountId: account.id, time: at(1), failureReason: 'invalid_credentials' });
      const unknown = makeLoginAttempt({ group, email: 'nobody@example.com', failureReason: 'invalid_credentials' });
      for (const attempt of [full, bare, unknown]) await ctx.storage.loginAttempts.record(attempt);
      const page = await ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 10 });
      expect(page).toStrictEqual({ data: [full, bare], nextCursor: null });
    });

    it('returns an empty last page for an account without attempts', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const page = await ctx.storage.loginAttempts.listByAccount(group, uid('acc'), { limit: 5 });
      expect(page).toStrictEqual({ data: [], nextCursor: null });
    });

    it('lists newest first, time then id descending, and only that account in that group', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const attempts = await recordAt(ctx.storage, account, [1_000, 3_000, 2_000, 2_000, 0]);
      await recordAt(ctx.storage, await seedAccount(ctx.storage, group), [2_500]);
      const [a0, a1, a2, a3, a4] = attempts;
      const page = await ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 10 });
      expect(page).toStrictEqual({ data: [a1, a3, a2, a0, a4], nextCursor: null });
      const elsewhere = await ctx.storage.loginAttempts.listByAccount(other, account.id, { limit: 10 });
      expect(elsewhere).toStrictEqual({ data: [], nextCursor: null });
    });

    it('pages through everything with no duplicates or gaps, even across ties', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const attempts = await recordAt(ctx.storage, account, [5, 5, 5, 4, 4, 3, 9, 1, 5, 0, 2]);
      const expected = newestFirst(attempts);
      for (const limit of [1, 2, 3, 4, 11, 50]) {
        const pages = await readAll(ctx.storage, account, limit);
        expect(pages.flat(), `limit ${limit}`).toStrictEqual(expected);
        expect(pages.length, `limit ${limit}: no empty trailing page`).toBe(Math.ceil(expected.length / limit));
      }
    });

    it('keeps later pages stable when newer attempts arrive between reads', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const attempts = newestFirst(await recordAt(ctx.storage, account, [10, 20, 30, 40, 50]));
      const first = await ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 2 });
      expect(first.data).toStrictEqual(attempts.slice(0, 2));
      await recordAt(ctx.storage, account, [60, 70]);
      const second = await ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 2, cursor: first.nextCursor });
      expect(second.data).toStrictEqual(attempts.slice(2, 4));
    });

    it("rejects a cursor it did not hand out with 'validation_failed'", async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      await recordAt(ctx.storage, account, [1, 2]);
      const list = ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 1, cursor: '%%% not a cursor %%%' });
      await expectAuthError(list, 'validation_failed');
    });

    it('hands out copies: mutating what was passed in or returned changes nothing stored', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const attempt = makeLoginAttempt({ group, accountId: account.id, time: at(1) });
      const original = structuredClone(attempt);
      await ctx.storage.loginAttempts.record(attempt);
      attempt.time.setTime(0);
      attempt.success = true;
      const first = await ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 1 });
      first.data[0]!.ip = 'changed';
      const again = await ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 1 });
      expect(again.data).toStrictEqual([original]);
    });
  });
}
