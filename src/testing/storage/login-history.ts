import { describe, expect, it } from 'vitest';
import type { AccountRecord, LoginAttemptRecord, Storage } from '../../core/ports.js';
import { seedAccount, seedGroup, type SuiteContext } from './helpers.js';
import { at, makeLoginAttempt } from './records.js';

const DAY = 24 * 3600_000;
/**
 * The era of the purge tests: years before any other attempt the suite records, so that a purge
 * bounded by it removes this file's attempts only, even in a database shared by the whole suite.
 */
const ERA = at(-9000 * DAY).getTime();

/** An instant `ms` after the start of the purge tests' era. */
const era = (ms: number): Date => new Date(ERA + ms);

/** Records one attempt in `group` (of `account` unless it is null) at `time`; returns it. */
async function recordOne(
  storage: Storage,
  group: string,
  account: AccountRecord | null,
  time: Date,
  overrides: Partial<LoginAttemptRecord> = {},
): Promise<LoginAttemptRecord> {
  const owner = { accountId: account?.id ?? null, email: account?.email ?? null };
  const attempt = makeLoginAttempt({ group, ...owner, time, ...overrides });
  await storage.loginAttempts.record(attempt);
  return attempt;
}

/** A successful login of `account` from `ip` at `time`. */
function success(storage: Storage, account: AccountRecord, ip: string | null, time: Date): Promise<LoginAttemptRecord> {
  return recordOne(storage, account.group, account, time, { ip, success: true, failureReason: null });
}

/** A failed login of `account` from `ip` at `time`. */
function failure(storage: Storage, account: AccountRecord, ip: string, time: Date): Promise<LoginAttemptRecord> {
  return recordOne(storage, account.group, account, time, { ip, failureReason: 'invalid_credentials' });
}

/** Removes whatever an earlier test left in the era before `end`, so that counts are this test's. */
async function clearEraBefore(storage: Storage, end: Date): Promise<void> {
  await storage.loginAttempts.purge({ before: end, unknownBefore: end });
}

/** `loginAttempts.listSuccessfulIps` and `loginAttempts.purge`: the reads and retention of login history. */
export function describeLoginHistory(ctx: SuiteContext): void {
  describe('loginAttempts: successful addresses', () => {
    it('lists the distinct addresses of successes since `since`, newest first; failures never count', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const neighbour = await seedAccount(ctx.storage, group);
      const namesake = await seedAccount(ctx.storage, other, { id: account.id });
      const [home, office, cafe, phone, edge, old, stranger] = [
        '203.0.113.1', '198.51.100.7', '198.51.100.8', '2001:db8::5', '192.0.2.10', '192.0.2.44', '192.0.2.66',
      ];

      // Each address ranks by its latest success, whatever order the attempts were recorded in.
      await success(ctx.storage, account, home, at(2_000));
      await success(ctx.storage, account, home, at(4_500));
      await success(ctx.storage, account, office, at(4_000));
      await success(ctx.storage, account, office, at(3_000));
      await success(ctx.storage, account, cafe, at(3_500));
      await success(ctx.storage, account, phone, at(5_000));
      await success(ctx.storage, account, edge, at(1_000)); // exactly at `since`: counts
      await success(ctx.storage, account, old, at(999)); // before `since`
      await success(ctx.storage, account, null, at(8_000)); // no address
      // Failures, however many and however recent, neither add an address nor move one up.
      for (let i = 0; i < 3; i++) await failure(ctx.storage, account, stranger, at(6_000 + i));
      await failure(ctx.storage, account, edge, at(9_000));
      // Other accounts' successes: a neighbour, an account of the same id in another group, an unknown email.
      await success(ctx.storage, neighbour, '192.0.2.1', at(7_000));
      await success(ctx.storage, namesake, '192.0.2.2', at(7_000));
      await recordOne(ctx.storage, group, null, at(7_000), { ip: '192.0.2.3', success: true });

      const list = (since: Date, limit: number) =>
        ctx.storage.loginAttempts.listSuccessfulIps(group, account.id, { since, limit });
      expect(await list(at(1_000), 10)).toStrictEqual([phone, home, office, cafe, edge]);
      expect(await list(at(1_000), 2)).toStrictEqual([phone, home]);
      expect(await list(at(1_001), 10)).toStrictEqual([phone, home, office, cafe]);
      expect(await list(at(4_001), 10)).toStrictEqual([phone, home]);
      expect(await list(at(0), 10)).toStrictEqual([phone, home, office, cafe, edge, old]);
      expect(await list(at(5_001), 10)).toStrictEqual([]);
      const namesakes = await ctx.storage.loginAttempts.listSuccessfulIps(other, account.id, { since: at(0), limit: 10 });
      expect(namesakes).toStrictEqual(['192.0.2.2']);
    });

    it('returns nothing for an account with failures only, or none at all', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      await failure(ctx.storage, account, '203.0.113.9', at(1));
      const options = { since: at(0), limit: 5 };
      expect(await ctx.storage.loginAttempts.listSuccessfulIps(group, account.id, options)).toStrictEqual([]);
      const nobody = await seedAccount(ctx.storage, group);
      expect(await ctx.storage.loginAttempts.listSuccessfulIps(group, nobody.id, options)).toStrictEqual([]);
    });
  });

  describe('loginAttempts: purge', () => {
    it('removes attempts older than `before`, unknown-address ones older than `unknownBefore`, nothing else', async () => {
      await clearEraBefore(ctx.storage, era(10_000));
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const stranger = await seedAccount(ctx.storage, other);
      const known = async (ms: number, who = account) => recordOne(ctx.storage, who.group, who, era(ms));
      const unknown = async (ms: number) => recordOne(ctx.storage, group, null, era(ms), { email: 'nobody@example.com' });

      // Due: two old attempts of the account, one of another group's account, two old unknown ones.
      await known(0);
      await known(999);
      await known(10, stranger);
      await unknown(500);
      await unknown(4_999);
      // Kept: from `before` on for known accounts, from `unknownBefore` on for unknown addresses.
      const kept = [await known(1_000), await known(3_000), await known(6_000)];
      const strangerKept = await known(2_000, stranger);
      await unknown(5_000);
      await unknown(7_000);

      const bounds = { before: era(1_000), unknownBefore: era(5_000) };
      expect(await ctx.storage.loginAttempts.purge(bounds)).toBe(5);
      expect(await ctx.storage.loginAttempts.purge(bounds)).toBe(0);
      const page = await ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 10 });
      expect(page.data).toStrictEqual([...kept].reverse());
      const theirs = await ctx.storage.loginAttempts.listByAccount(other, stranger.id, { limit: 10 });
      expect(theirs.data).toStrictEqual([strangerKept]);
      // The kept rows are all still there: a wider purge finds the three, the stranger's and the two unknown.
      expect(await ctx.storage.loginAttempts.purge({ before: era(10_000), unknownBefore: era(10_000) })).toBe(6);
    });

    it('removes every attempt older than `before` even when `unknownBefore` is earlier', async () => {
      await clearEraBefore(ctx.storage, era(10_000));
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      for (const ms of [500, 3_000]) await recordOne(ctx.storage, group, null, era(ms));
      await recordOne(ctx.storage, group, account, era(3_000));
      const kept = await recordOne(ctx.storage, group, account, era(6_000));
      await recordOne(ctx.storage, group, null, era(6_000));

      expect(await ctx.storage.loginAttempts.purge({ before: era(5_000), unknownBefore: era(1_000) })).toBe(3);
      const page = await ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 10 });
      expect(page.data).toStrictEqual([kept]);
      expect(await ctx.storage.loginAttempts.purge({ before: era(10_000), unknownBefore: era(10_000) })).toBe(2);
    });

    it('removes at most `limit` a call, known and unknown together, until none is due', async () => {
      await clearEraBefore(ctx.storage, era(10_000));
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      for (const ms of [100, 200, 300]) await recordOne(ctx.storage, group, account, era(ms));
      for (const ms of [400, 2_500]) await recordOne(ctx.storage, group, null, era(ms));
      const kept = await recordOne(ctx.storage, group, account, era(2_000));

      const bounds = { before: era(1_000), unknownBefore: era(3_000) };
      const removed = [];
      for (let call = 0; call < 4; call++) removed.push(await ctx.storage.loginAttempts.purge({ ...bounds, limit: 2 }));
      expect(removed).toStrictEqual([2, 2, 1, 0]);
      expect(await ctx.storage.loginAttempts.purge({ ...bounds, limit: 10 })).toBe(0);
      const page = await ctx.storage.loginAttempts.listByAccount(group, account.id, { limit: 10 });
      expect(page.data).toStrictEqual([kept]);
    });
  });
}
