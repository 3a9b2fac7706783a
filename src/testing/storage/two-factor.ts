import { describe, expect, it } from 'vitest';
import type { AccountRecord, Storage } from '../../core/ports.js';
import { seedAccount, seedGroup, type SuiteContext } from './helpers.js';
import { at, uid } from './records.js';

/** An account with TOTP on (confirmed secret, no step used yet), in a new group. */
async function seedTotpAccount(storage: Storage, overrides: Partial<AccountRecord> = {}): Promise<AccountRecord> {
  const { id: group } = await seedGroup(storage);
  return seedAccount(storage, group, { totpSecretSealed: `sealed.${uid('totp')}`, totpEnabledAt: at(), ...overrides });
}

/** `count` random code hashes. */
function hashes(count: number): string[] {
  return Array.from({ length: count }, () => uid('rc'));
}

/** Stores `codes` as the account's recovery codes and returns the account as it now is. */
async function withCodes(storage: Storage, account: AccountRecord, codes: string[]): Promise<AccountRecord> {
  await storage.recoveryCodes.replace(account.group, account.id, codes, at(1));
  return { ...account, recoveryCodesRemaining: codes.length };
}

/** TOTP replay protection and enrolment on `storage.accounts`, and `storage.recoveryCodes`. */
export function describeTwoFactor(ctx: SuiteContext): void {
  describe('accounts: second-factor fields', () => {
    it('patches and clears the phone and second-factor fields', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const patch = {
        phoneNumber: '+447700900123',
        phoneVerifiedAt: at(1),
        totpPendingSecretSealed: 'sealed.pending',
        emailOtpEnabledAt: at(2),
        smsOtpEnabledAt: at(3),
        recoveryCodesRemaining: 7,
      };
      expect(await ctx.storage.accounts.update(group, account.id, patch)).toStrictEqual({ ...account, ...patch });
      const cleared = { phoneNumber: null, phoneVerifiedAt: null, totpPendingSecretSealed: null, smsOtpEnabledAt: null };
      const expected = { ...account, ...patch, ...cleared };
      expect(await ctx.storage.accounts.update(group, account.id, cleared)).toStrictEqual(expected);
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual(expected);
    });
  });

  describe('accounts.claimTotpStep', () => {
    it('refuses every step while TOTP is off, even with an enrolment pending', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group, { totpPendingSecretSealed: 'sealed.pending' });
      expect(await ctx.storage.accounts.claimTotpStep(group, account.id, 1)).toBe(false);
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual(account);
    });

    it('claims a step once: the same or an older step is refused, a newer one is claimed', async () => {
      const account = await seedTotpAccount(ctx.storage);
      const { group, id } = account;
      const step = 57_000_000;
      expect(await ctx.storage.accounts.claimTotpStep(group, id, step)).toBe(true);
      // Only the step changes: claiming a step is not an update of the account.
      expect(await ctx.storage.accounts.findById(group, id)).toStrictEqual({ ...account, totpLastUsedStep: step });
      expect(await ctx.storage.accounts.claimTotpStep(group, id, step)).toBe(false);
      expect(await ctx.storage.accounts.claimTotpStep(group, id, step - 1)).toBe(false);
      expect(await ctx.storage.accounts.claimTotpStep(group, id, step + 2)).toBe(true);
      expect(await ctx.storage.accounts.claimTotpStep(group, id, step + 1)).toBe(false);
      expect(await ctx.storage.accounts.findById(group, id)).toStrictEqual({ ...account, totpLastUsedStep: step + 2 });
    });

    it('is scoped by group and refuses an unknown account', async () => {
      const account = await seedTotpAccount(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      expect(await ctx.storage.accounts.claimTotpStep(other, account.id, 1)).toBe(false);
      expect(await ctx.storage.accounts.claimTotpStep(account.group, uid('acc'), 1)).toBe(false);
      expect(await ctx.storage.accounts.findById(account.group, account.id)).toStrictEqual(account);
    });
  });

  describe('accounts.confirmTotp', () => {
    it('moves the pending secret in, only while it is the one given', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group, { totpPendingSecretSealed: 'sealed.newer' });
      const { id } = account;
      expect(await ctx.storage.accounts.confirmTotp(group, id, 'sealed.older', 100, at(1))).toBe(false);
      expect(await ctx.storage.accounts.findById(group, id)).toStrictEqual(account);

      expect(await ctx.storage.accounts.confirmTotp(group, id, 'sealed.newer', 100, at(2))).toBe(true);
      const confirmed = {
        ...account,
        totpSecretSealed: 'sealed.newer',
        totpPendingSecretSealed: null,
        totpLastUsedStep: 100,
        totpEnabledAt: at(2),
        updatedAt: at(2),
      };
      expect(await ctx.storage.accounts.findById(group, id)).toStrictEqual(confirmed);
      // Nothing is pending any more, and the confirming code's step is used.
      expect(await ctx.storage.accounts.confirmTotp(group, id, 'sealed.newer', 101, at(3))).toBe(false);
      expect(await ctx.storage.accounts.claimTotpStep(group, id, 100)).toBe(false);
      expect(await ctx.storage.accounts.claimTotpStep(group, id, 101)).toBe(true);
    });

    it('refuses without an enrolment, in another group or for an unknown account', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const idle = await seedAccount(ctx.storage, group);
      const pending = await seedAccount(ctx.storage, group, { totpPendingSecretSealed: 'sealed.p' });
      expect(await ctx.storage.accounts.confirmTotp(group, idle.id, 'sealed.p', 1, at(1))).toBe(false);
      expect(await ctx.storage.accounts.confirmTotp(other, pending.id, 'sealed.p', 1, at(1))).toBe(false);
      expect(await ctx.storage.accounts.confirmTotp(group, uid('acc'), 'sealed.p', 1, at(1))).toBe(false);
      expect(await ctx.storage.accounts.findById(group, idle.id)).toStrictEqual(idle);
      expect(await ctx.storage.accounts.findById(group, pending.id)).toStrictEqual(pending);
    });
  });

  describe('recoveryCodes', () => {
    it('consumes each code once, keeping recoveryCodesRemaining in step', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const codes = hashes(3);
      let account = await withCodes(ctx.storage, await seedAccount(ctx.storage, group), codes);
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual(account);
      for (const code of codes) {
        expect(await ctx.storage.recoveryCodes.consume(group, account.id, code, at(2))).toBe(true);
        expect(await ctx.storage.recoveryCodes.consume(group, account.id, code, at(3))).toBe(false);
        account = { ...account, recoveryCodesRemaining: account.recoveryCodesRemaining - 1 };
        expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual(account);
      }
      expect(account.recoveryCodesRemaining).toBe(0);
    });

    it('replace kills the old codes, used or not, and resets the count', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const [used, unused] = hashes(2) as [string, string];
      const account = await withCodes(ctx.storage, await seedAccount(ctx.storage, group), [used, unused]);
      expect(await ctx.storage.recoveryCodes.consume(group, account.id, used, at(2))).toBe(true);

      const fresh = hashes(4);
      await ctx.storage.recoveryCodes.replace(group, account.id, fresh, at(3));
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual({ ...account, recoveryCodesRemaining: 4 });
      expect(await ctx.storage.recoveryCodes.consume(group, account.id, unused, at(4))).toBe(false);
      expect(await ctx.storage.recoveryCodes.consume(group, account.id, used, at(4))).toBe(false);
      expect(await ctx.storage.recoveryCodes.consume(group, account.id, fresh[0]!, at(4))).toBe(true);

      await ctx.storage.recoveryCodes.replace(group, account.id, [], at(5));
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual({ ...account, recoveryCodesRemaining: 0 });
      expect(await ctx.storage.recoveryCodes.consume(group, account.id, fresh[1]!, at(6))).toBe(false);
    });

    it("refuses an unknown code and another account's code, changing nothing", async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const [mine, theirs] = [hashes(2), hashes(2)];
      const account = await withCodes(ctx.storage, await seedAccount(ctx.storage, group), mine);
      const neighbour = await withCodes(ctx.storage, await seedAccount(ctx.storage, group), theirs);
      // Ids are unique per group only: an account of another group may have the same id.
      const namesake = await withCodes(ctx.storage, await seedAccount(ctx.storage, other, { id: account.id }), hashes(1));

      expect(await ctx.storage.recoveryCodes.consume(group, account.id, uid('rc'), at(2))).toBe(false);
      expect(await ctx.storage.recoveryCodes.consume(group, account.id, theirs[0]!, at(2))).toBe(false);
      expect(await ctx.storage.recoveryCodes.consume(other, account.id, mine[0]!, at(2))).toBe(false);
      expect(await ctx.storage.recoveryCodes.consume(group, uid('acc'), mine[0]!, at(2))).toBe(false);
      for (const kept of [account, neighbour, namesake]) {
        expect(await ctx.storage.accounts.findById(kept.group, kept.id)).toStrictEqual(kept);
      }
      expect(await ctx.storage.recoveryCodes.consume(group, account.id, mine[0]!, at(3))).toBe(true);
      expect(await ctx.storage.recoveryCodes.consume(group, neighbour.id, theirs[0]!, at(3))).toBe(true);
    });
  });
}
