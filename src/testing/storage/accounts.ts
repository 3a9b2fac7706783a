import { describe, expect, it } from 'vitest';
import type { AccountRecord, Storage } from '../../core/ports.js';
import { expectAuthError, seedAccount, seedGroup, type SuiteContext } from './helpers.js';
import { at, makeAccount, randomInt, uid } from './records.js';

/**
 * Every field set, to round-trip beside the all-null default. The numbers are random and far from their
 * defaults (a TOTP step past 2³¹), so that a column mixed up with another or cut short shows.
 */
export function fullAccount(group: string): AccountRecord {
  return makeAccount({
    group,
    emailVerifiedAt: at(1),
    emailAddedAt: at(2),
    firstName: 'Ada',
    lastName: 'Lovelace',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    roles: ['admin', 'billing'],
    allowSupportLogin: true,
    status: 'locked',
    statusChangedAt: at(3),
    statusReason: 'too_many_attempts',
    createdAt: at(4),
    updatedAt: at(5),
    deletedAt: at(6),
    lastLoginAt: at(7),
    lastLoginDevice: 'Firefox on Linux',
    lastPasswordChangeAt: at(8),
    phoneNumber: `+4477009${randomInt(10_000, 100_000)}`,
    phoneVerifiedAt: at(9),
    totpSecretSealed: `sealed.${uid('totp')}`,
    totpPendingSecretSealed: `sealed.${uid('pending')}`,
    totpLastUsedStep: randomInt(2 ** 31, 2 ** 40),
    totpEnabledAt: at(10),
    emailOtpEnabledAt: at(11),
    smsOtpEnabledAt: at(12),
    recoveryCodesRemaining: randomInt(1, 1_000),
  });
}

/** Ascending by `deletedAt`, then id: the order of `listDeletedBefore`. */
function byDeletion(a: AccountRecord, b: AccountRecord): number {
  return a.deletedAt!.getTime() - b.deletedAt!.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Seeds, in two groups, accounts deleted before a cutoff and accounts `listDeletedBefore` must skip,
 * runs `check` and deletes them again. Their deletion times are in a random stretch of 1971–73, far
 * from the suite's other times, so a shared database's other accounts precede them or stay out of the
 * way (assertions allow for earlier rows).
 */
async function withDeletedAccounts(
  storage: Storage,
  check: (seeded: { cutoff: Date; listed: AccountRecord[]; skipped: AccountRecord[] }) => Promise<void>,
): Promise<void> {
  const base = Date.UTC(1971, 0, 1) + Math.floor(Math.random() * 2 ** 36);
  const when = (offset: number): Date => new Date(base + offset);
  const { id: group } = await seedGroup(storage);
  const { id: other } = await seedGroup(storage);
  const deleted = (offset: number) => ({ status: 'deleted' as const, statusChangedAt: when(offset), deletedAt: when(offset) });
  const seeded: AccountRecord[] = [];
  const seed = async (inGroup: string, overrides: Partial<AccountRecord>): Promise<AccountRecord> => {
    const account = await seedAccount(storage, inGroup, overrides);
    seeded.push(account);
    return account;
  };
  try {
    const listed = [
      await seed(other, deleted(3)),
      await seed(group, { ...deleted(2), firstName: 'Ada', roles: ['admin'] }),
      await seed(group, deleted(1)),
      await seed(other, deleted(2)),
      await seed(group, deleted(2)),
    ].sort(byDeletion);
    const skipped = [
      await seed(group, { deletedAt: when(1) }),
      await seed(other, { status: 'locked', deletedAt: when(1) }),
      await seed(group, { status: 'deleted' }),
      await seed(group, deleted(4)),
      await seed(other, deleted(5)),
    ];
    await check({ cutoff: when(4), listed, skipped });
  } finally {
    for (const account of seeded) await storage.accounts.delete(account.group, account.id);
  }
}

/** `storage.accounts` except the cascade of `delete`, which has its own part. */
export function describeAccounts(ctx: SuiteContext): void {
  describe('accounts', () => {
    it('round-trips every field by id and by email, nulls and values alike', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      for (const account of [makeAccount({ group }), fullAccount(group)]) {
        await ctx.storage.accounts.create(account);
        expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual(account);
        expect(await ctx.storage.accounts.findByEmail(group, account.email)).toStrictEqual(account);
      }
    });

    it('finds nothing for an unknown id or email', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      await seedAccount(ctx.storage, group);
      expect(await ctx.storage.accounts.findById(group, uid('acc'))).toBeNull();
      expect(await ctx.storage.accounts.findByEmail(group, 'nobody@example.com')).toBeNull();
    });

    it('scopes every method by group', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      expect(await ctx.storage.accounts.findById(other, account.id)).toBeNull();
      expect(await ctx.storage.accounts.findByEmail(other, account.email)).toBeNull();
      expect(await ctx.storage.accounts.update(other, account.id, { firstName: 'Eve' })).toBeNull();
      expect(await ctx.storage.accounts.delete(other, account.id)).toBe(false);
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual(account);
    });

    it('keeps emails unique per group, not across groups', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const first = await seedAccount(ctx.storage, group);
      const elsewhere = await seedAccount(ctx.storage, other, { email: first.email });
      expect(await ctx.storage.accounts.findByEmail(other, first.email)).toStrictEqual(elsewhere);
      expect(await ctx.storage.accounts.findByEmail(group, first.email)).toStrictEqual(first);

      const duplicate = makeAccount({ group, email: first.email });
      await expectAuthError(ctx.storage.accounts.create(duplicate), 'conflict');
      expect(await ctx.storage.accounts.findById(group, duplicate.id)).toBeNull();
      expect(await ctx.storage.accounts.findByEmail(group, first.email)).toStrictEqual(first);
    });

    it('applies a patch, returns the updated account and leaves other fields alone', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const patch = { firstName: 'Grace', roles: ['support'], status: 'locked' as const, lastLoginAt: at(999) };
      const expected = { ...account, ...patch };
      expect(await ctx.storage.accounts.update(group, account.id, patch)).toStrictEqual(expected);
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual(expected);

      const cleared = { ...expected, firstName: null, roles: [], lastLoginAt: null, allowSupportLogin: true };
      const patch2 = { firstName: null, roles: [], lastLoginAt: null, allowSupportLogin: true };
      expect(await ctx.storage.accounts.update(group, account.id, patch2)).toStrictEqual(cleared);
      expect(await ctx.storage.accounts.findByEmail(group, account.email)).toStrictEqual(cleared);
    });

    it('moves the email lookup when the email changes', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const email = `${uid('new')}@example.com`.toLowerCase();
      const updated = await ctx.storage.accounts.update(group, account.id, { email });
      expect(updated).toStrictEqual({ ...account, email });
      expect(await ctx.storage.accounts.findByEmail(group, email)).toStrictEqual(updated);
      expect(await ctx.storage.accounts.findByEmail(group, account.email)).toBeNull();
      // The old address is free again.
      await seedAccount(ctx.storage, group, { email: account.email });
    });

    it('refuses to change an email to one the group already has, changing nothing', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const a = await seedAccount(ctx.storage, group);
      const b = await seedAccount(ctx.storage, group);
      await expectAuthError(ctx.storage.accounts.update(group, b.id, { email: a.email, firstName: 'X' }), 'conflict');
      expect(await ctx.storage.accounts.findById(group, b.id)).toStrictEqual(b);
      expect(await ctx.storage.accounts.findByEmail(group, a.email)).toStrictEqual(a);
      expect(await ctx.storage.accounts.findByEmail(group, b.email)).toStrictEqual(b);
      // Patching an account with its own email is no conflict.
      expect(await ctx.storage.accounts.update(group, a.id, { email: a.email })).toStrictEqual(a);
    });

    it('returns null when updating an unknown account', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      expect(await ctx.storage.accounts.update(group, uid('acc'), { firstName: 'Ghost' })).toBeNull();
    });

    it('deletes an account once, freeing its email', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      expect(await ctx.storage.accounts.delete(group, account.id)).toBe(true);
      expect(await ctx.storage.accounts.findById(group, account.id)).toBeNull();
      expect(await ctx.storage.accounts.findByEmail(group, account.email)).toBeNull();
      expect(await ctx.storage.accounts.delete(group, account.id)).toBe(false);
      const again = await seedAccount(ctx.storage, group, { email: account.email });
      expect(await ctx.storage.accounts.findByEmail(group, account.email)).toStrictEqual(again);
    });

    it('compares emails and ids exactly: case, accents and 4-byte characters are distinct', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const lower = await seedAccount(ctx.storage, group, { email: 'ada@example.com', firstName: 'Ada 🦄' });
      const upper = await seedAccount(ctx.storage, group, { email: 'ADA@example.com' });
      const accent = await seedAccount(ctx.storage, group, { email: 'adà@example.com' });
      expect(await ctx.storage.accounts.findByEmail(group, 'ada@example.com')).toStrictEqual(lower);
      expect(await ctx.storage.accounts.findByEmail(group, 'ADA@example.com')).toStrictEqual(upper);
      expect(await ctx.storage.accounts.findByEmail(group, 'adà@example.com')).toStrictEqual(accent);
      expect(await ctx.storage.accounts.findById(group, lower.id.toUpperCase())).toBeNull();
    });

    it('listDeletedBefore lists the deleted accounts of every group deleted before the cutoff, oldest first', async () => {
      await withDeletedAccounts(ctx.storage, async ({ cutoff, listed, skipped }) => {
        const all = await ctx.storage.accounts.listDeletedBefore(cutoff, 1_000);
        const ids = new Set([...listed, ...skipped].map((account) => account.id));
        expect(all.filter((account) => ids.has(account.id))).toStrictEqual(listed);
        // Whatever else the database holds obeys the contract too.
        for (const account of all) {
          expect(account.status).toBe('deleted');
          expect(account.deletedAt!.getTime()).toBeLessThan(cutoff.getTime());
        }
        expect(all).toStrictEqual([...all].sort(byDeletion));
      });
    });

    it('listDeletedBefore returns at most `limit` accounts, the oldest deletions', async () => {
      await withDeletedAccounts(ctx.storage, async ({ cutoff, listed }) => {
        const all = await ctx.storage.accounts.listDeletedBefore(cutoff, 1_000);
        for (const limit of [1, 2, listed.length]) {
          expect(await ctx.storage.accounts.listDeletedBefore(cutoff, limit)).toStrictEqual(all.slice(0, limit));
        }
        const first = listed[0]!;
        const before = await ctx.storage.accounts.listDeletedBefore(first.deletedAt!, 1_000);
        expect(before.map((account) => account.id)).not.toContain(first.id);
      });
    });

    it('hands out copies: mutating what was passed in or returned changes nothing stored', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = fullAccount(group);
      const original = structuredClone(account);
      await ctx.storage.accounts.create(account);
      account.roles.push('root');
      account.lastLoginAt!.setTime(0);
      account.firstName = 'changed';
      const found = await ctx.storage.accounts.findById(group, account.id);
      expect(found).toStrictEqual(original);
      found!.roles.push('root');
      found!.createdAt.setTime(0);
      const patch = { roles: ['a'] };
      const updated = await ctx.storage.accounts.update(group, account.id, patch);
      patch.roles.push('b');
      updated!.roles.push('c');
      expect(await ctx.storage.accounts.findByEmail(group, account.email)).toStrictEqual({ ...original, roles: ['a'] });
    });
  });
}
