import { describe, expect, it } from 'vitest';
import type { AccountRecord, OneTimeTokenRecord, Storage } from '../../core/ports.js';
import { expectAuthError, seedAccount, seedGroup, type SuiteContext } from './helpers.js';
import { at, makeOneTimeToken, uid } from './records.js';

const HOUR = 3600_000;

/** A token of `account`, mailed to the account's address unless overridden. */
function tokenOf(account: AccountRecord, overrides: Partial<OneTimeTokenRecord> = {}): OneTimeTokenRecord {
  return makeOneTimeToken({ group: account.group, accountId: account.id, email: account.email, ...overrides });
}

/** `consume` with the token's own hash and purpose. */
function consume(storage: Storage, token: OneTimeTokenRecord, when: Date): Promise<OneTimeTokenRecord | null> {
  return storage.oneTimeTokens.consume(token.hash, token.purpose, when);
}

async function seedOwner(storage: Storage): Promise<AccountRecord> {
  const { id: group } = await seedGroup(storage);
  return seedAccount(storage, group);
}

/**
 * `storage.oneTimeTokens`. Most tests observe a token's state by consuming it (a record means stored and
 * live, null means unknown, used, retired or expired), which proves what `find` alone would not: that
 * the token works or does not.
 */
export function describeOneTimeTokens(ctx: SuiteContext): void {
  describe('oneTimeTokens', () => {
    it('round-trips every field: consume returns the token as issued', async () => {
      const account = await seedOwner(ctx.storage);
      const reset = tokenOf(account, { createdAt: at(1), expiresAt: at(2 * HOUR) });
      const verification = tokenOf(account, {
        purpose: 'email_verification',
        email: `${uid('Ñew')}@Example.com`,
        createdAt: at(2),
        expiresAt: at(3 * HOUR + 7),
      });
      for (const token of [reset, verification]) await ctx.storage.oneTimeTokens.issue(token);
      expect(await consume(ctx.storage, reset, at(10))).toStrictEqual(reset);
      expect(await consume(ctx.storage, verification, at(10))).toStrictEqual(verification);
    });

    it('consume hands the token out once, as it was before; later calls get null', async () => {
      const token = tokenOf(await seedOwner(ctx.storage));
      await ctx.storage.oneTimeTokens.issue(token);
      const used = await consume(ctx.storage, token, at(10));
      expect(used).toStrictEqual(token);
      expect(used?.consumedAt).toBeNull();
      expect(await consume(ctx.storage, token, at(11))).toBeNull();
      expect(await consume(ctx.storage, token, at(5))).toBeNull();
    });

    it('consume with another purpose returns null and leaves the token usable', async () => {
      const token = tokenOf(await seedOwner(ctx.storage), { purpose: 'email_verification' });
      await ctx.storage.oneTimeTokens.issue(token);
      expect(await ctx.storage.oneTimeTokens.consume(token.hash, 'password_reset', at(1))).toBeNull();
      expect(await consume(ctx.storage, token, at(2))).toStrictEqual(token);
    });

    it('consume refuses a token whose expiresAt is not after `at`, changing nothing', async () => {
      const token = tokenOf(await seedOwner(ctx.storage), { expiresAt: at(HOUR) });
      await ctx.storage.oneTimeTokens.issue(token);
      expect(await consume(ctx.storage, token, at(HOUR))).toBeNull();
      expect(await consume(ctx.storage, token, at(HOUR + 1))).toBeNull();
      expect(await consume(ctx.storage, token, at(HOUR - 1))).toStrictEqual(token);
    });

    it('consume of an unknown hash returns null', async () => {
      expect(await ctx.storage.oneTimeTokens.consume(uid('ott'), 'password_reset', at())).toBeNull();
      expect(await ctx.storage.oneTimeTokens.consume(uid('ott'), 'email_verification', at())).toBeNull();
    });

    it("issue retires the account's live tokens of the purpose, and no others", async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const neighbour = await seedAccount(ctx.storage, group);
      // Ids are unique per group only: an account of another group may have the same id.
      const namesake = await seedAccount(ctx.storage, other, { id: account.id });

      const used = tokenOf(account, { createdAt: at(0) });
      await ctx.storage.oneTimeTokens.issue(used);
      expect(await consume(ctx.storage, used, at(1))).toStrictEqual(used);
      const older = tokenOf(account, { createdAt: at(2) });
      const spared = [
        tokenOf(account, { purpose: 'email_verification', createdAt: at(3) }),
        tokenOf(neighbour, { createdAt: at(4) }),
        tokenOf(namesake, { createdAt: at(5) }),
      ];
      for (const token of [older, ...spared]) await ctx.storage.oneTimeTokens.issue(token);

      const newest = tokenOf(account, { createdAt: at(10) });
      await ctx.storage.oneTimeTokens.issue(newest);
      expect(await consume(ctx.storage, older, at(20))).toBeNull();
      expect(await consume(ctx.storage, used, at(20))).toBeNull();
      expect(await consume(ctx.storage, newest, at(20))).toStrictEqual(newest);
      for (const token of spared) expect(await consume(ctx.storage, token, at(20))).toStrictEqual(token);
    });

    it('find reads a token as stored, without using it: live, consumed, retired or unknown', async () => {
      const account = await seedOwner(ctx.storage);
      const challenge = tokenOf(account, { purpose: 'login_challenge', createdAt: at(1), expiresAt: at(5 * 60_000) });
      await ctx.storage.oneTimeTokens.issue(challenge);
      expect(await ctx.storage.oneTimeTokens.find(challenge.hash)).toStrictEqual(challenge);
      // Reading does not use it.
      expect(await ctx.storage.oneTimeTokens.find(challenge.hash)).toStrictEqual(challenge);
      expect(await consume(ctx.storage, challenge, at(2))).toStrictEqual(challenge);
      expect(await ctx.storage.oneTimeTokens.find(challenge.hash)).toStrictEqual({ ...challenge, consumedAt: at(2) });

      const retired = tokenOf(account, { createdAt: at(3) });
      const newest = tokenOf(account, { createdAt: at(4) });
      for (const token of [retired, newest]) await ctx.storage.oneTimeTokens.issue(token);
      expect(await ctx.storage.oneTimeTokens.find(retired.hash)).toStrictEqual({ ...retired, consumedAt: at(4) });
      expect(await ctx.storage.oneTimeTokens.find(newest.hash)).toStrictEqual(newest);
      expect(await ctx.storage.oneTimeTokens.find(uid('ott'))).toBeNull();

      const found = await ctx.storage.oneTimeTokens.find(newest.hash);
      found!.expiresAt.setTime(0);
      expect(await consume(ctx.storage, newest, at(5))).toStrictEqual(newest);
    });

    it('issue of a hash that exists, in any group, throws conflict and changes nothing', async () => {
      const account = await seedOwner(ctx.storage);
      const stranger = await seedOwner(ctx.storage);
      const reset = tokenOf(account, { createdAt: at(0) });
      const verification = tokenOf(account, { purpose: 'email_verification', createdAt: at(1) });
      for (const token of [reset, verification]) await ctx.storage.oneTimeTokens.issue(token);

      // Had it been stored, this reset token would have retired `reset`.
      await expectAuthError(ctx.storage.oneTimeTokens.issue(tokenOf(account, { hash: verification.hash, createdAt: at(5) })), 'conflict');
      await expectAuthError(ctx.storage.oneTimeTokens.issue(tokenOf(stranger, { hash: reset.hash, createdAt: at(6) })), 'conflict');
      expect(await consume(ctx.storage, reset, at(10))).toStrictEqual(reset);
      expect(await consume(ctx.storage, verification, at(10))).toStrictEqual(verification);
    });

    it('hands out copies: mutating what was passed in changes nothing stored', async () => {
      const token = tokenOf(await seedOwner(ctx.storage));
      const original = structuredClone(token);
      await ctx.storage.oneTimeTokens.issue(token);
      token.expiresAt.setTime(0);
      token.email = 'changed@example.com';
      token.consumedAt = at(1);
      expect(await consume(ctx.storage, original, at(2))).toStrictEqual(original);
    });
  });
}
