import { describe, expect, it } from 'vitest';
import type { AccountRecord, OtpAttemptResult, OtpCodeRecord, Storage } from '../../core/ports.js';
import { seedAccount, seedGroup, type SuiteContext } from './helpers.js';
import { at, makeOtpCode, uid } from './records.js';

const MINUTE = 60_000;
const MAX = 5;

async function seedOwner(storage: Storage): Promise<AccountRecord> {
  const { id: group } = await seedGroup(storage);
  return seedAccount(storage, group);
}

/** An email login code of `account`, live from at(0) to at(10 min), unless overridden. */
function codeOf(account: AccountRecord, overrides: Partial<OtpCodeRecord> = {}): OtpCodeRecord {
  return makeOtpCode({ group: account.group, accountId: account.id, ...overrides });
}

/** `attempt` on the code's own key, with `codeHash`, limited to {@link MAX} wrong codes. */
function attempt(storage: Storage, code: OtpCodeRecord, codeHash: string, when: Date): Promise<OtpAttemptResult> {
  return storage.otpCodes.attempt(code.group, code.accountId, code.channel, code.purpose, codeHash, when, MAX);
}

function find(storage: Storage, code: OtpCodeRecord): Promise<OtpCodeRecord | null> {
  return storage.otpCodes.find(code.group, code.accountId, code.channel, code.purpose);
}

/** `storage.otpCodes`: one live code per account, channel and purpose, its attempts counted and capped. */
export function describeOtpCodes(ctx: SuiteContext): void {
  describe('otpCodes', () => {
    it('round-trips every field, and keeps each account, channel and purpose apart', async () => {
      const account = await seedOwner(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const namesake = await seedAccount(ctx.storage, other, { id: account.id });
      const codes = [
        codeOf(account),
        codeOf(account, { channel: 'sms', purpose: 'verify', attempts: 2, createdAt: at(7), expiresAt: at(5 * MINUTE + 3) }),
        codeOf(account, { channel: 'sms' }),
        codeOf(account, { purpose: 'verify' }),
        codeOf(namesake),
      ];
      for (const code of codes) await ctx.storage.otpCodes.issue(code);
      for (const code of codes) expect(await find(ctx.storage, code)).toStrictEqual(code);
      expect(await ctx.storage.otpCodes.find(account.group, uid('acc'), 'email', 'login')).toBeNull();
    });

    it('accepts the right code once: it is consumed, and every later attempt finds nothing', async () => {
      const code = codeOf(await seedOwner(ctx.storage));
      await ctx.storage.otpCodes.issue(code);
      expect(await attempt(ctx.storage, code, code.codeHash, at(MINUTE))).toBe('accepted');
      expect(await find(ctx.storage, code)).toStrictEqual({ ...code, consumedAt: at(MINUTE) });
      expect(await attempt(ctx.storage, code, code.codeHash, at(MINUTE + 1))).toBe('missing');
      expect(await attempt(ctx.storage, code, uid('otp'), at(MINUTE + 1))).toBe('missing');
      expect(await find(ctx.storage, code)).toStrictEqual({ ...code, consumedAt: at(MINUTE) });
    });

    it('counts wrong codes up to maxAttempts, then refuses even the right one', async () => {
      const code = codeOf(await seedOwner(ctx.storage));
      await ctx.storage.otpCodes.issue(code);
      for (let i = 1; i <= MAX; i++) {
        expect(await attempt(ctx.storage, code, uid('otp'), at(i))).toBe('rejected');
        expect(await find(ctx.storage, code)).toStrictEqual({ ...code, attempts: i });
      }
      expect(await attempt(ctx.storage, code, uid('otp'), at(10))).toBe('exhausted');
      expect(await attempt(ctx.storage, code, code.codeHash, at(11))).toBe('exhausted');
      expect(await find(ctx.storage, code)).toStrictEqual({ ...code, attempts: MAX });
      // A higher limit lets the code be used again: the count, not a flag, is stored.
      const { group, accountId, channel, purpose, codeHash } = code;
      expect(await ctx.storage.otpCodes.attempt(group, accountId, channel, purpose, codeHash, at(12), MAX + 1)).toBe('accepted');
    });

    it('finds no live code when none was issued, for another key, or once expired', async () => {
      const account = await seedOwner(ctx.storage);
      const code = codeOf(account, { expiresAt: at(10 * MINUTE) });
      expect(await attempt(ctx.storage, code, code.codeHash, at(1))).toBe('missing');
      await ctx.storage.otpCodes.issue(code);
      expect(await attempt(ctx.storage, { ...code, channel: 'sms' }, code.codeHash, at(1))).toBe('missing');
      expect(await attempt(ctx.storage, { ...code, purpose: 'verify' }, code.codeHash, at(1))).toBe('missing');
      expect(await attempt(ctx.storage, { ...code, accountId: uid('acc') }, code.codeHash, at(1))).toBe('missing');
      expect(await attempt(ctx.storage, code, code.codeHash, at(10 * MINUTE))).toBe('missing');
      expect(await attempt(ctx.storage, code, uid('otp'), at(10 * MINUTE + 1))).toBe('missing');
      expect(await find(ctx.storage, code)).toStrictEqual(code);
      expect(await attempt(ctx.storage, code, code.codeHash, at(10 * MINUTE - 1))).toBe('accepted');
    });

    it('a resent code replaces the live one and keeps its wrong attempts', async () => {
      const account = await seedOwner(ctx.storage);
      const first = codeOf(account);
      await ctx.storage.otpCodes.issue(first);
      for (let i = 1; i <= 3; i++) expect(await attempt(ctx.storage, first, uid('otp'), at(i))).toBe('rejected');

      const resent = codeOf(account, { createdAt: at(MINUTE), expiresAt: at(11 * MINUTE) });
      await ctx.storage.otpCodes.issue(resent);
      expect(await find(ctx.storage, resent)).toStrictEqual({ ...resent, attempts: 3 });
      expect(await attempt(ctx.storage, resent, first.codeHash, at(MINUTE + 1))).toBe('rejected');
      expect(await attempt(ctx.storage, resent, uid('otp'), at(MINUTE + 2))).toBe('rejected');
      expect(await attempt(ctx.storage, resent, resent.codeHash, at(MINUTE + 3))).toBe('exhausted');
    });

    it("a code issued after the last one was used or expired keeps its own attempts", async () => {
      const account = await seedOwner(ctx.storage);
      const used = codeOf(account);
      await ctx.storage.otpCodes.issue(used);
      expect(await attempt(ctx.storage, used, uid('otp'), at(1))).toBe('rejected');
      expect(await attempt(ctx.storage, used, used.codeHash, at(2))).toBe('accepted');
      const afterUse = codeOf(account, { createdAt: at(3), expiresAt: at(5 * MINUTE) });
      await ctx.storage.otpCodes.issue(afterUse);
      expect(await find(ctx.storage, afterUse)).toStrictEqual(afterUse);

      for (let i = 1; i <= 2; i++) expect(await attempt(ctx.storage, afterUse, uid('otp'), at(3 + i))).toBe('rejected');
      // Issued exactly when the previous code expires: that one is no longer live.
      const afterExpiry = codeOf(account, { createdAt: at(5 * MINUTE), expiresAt: at(15 * MINUTE), attempts: 1 });
      await ctx.storage.otpCodes.issue(afterExpiry);
      expect(await find(ctx.storage, afterExpiry)).toStrictEqual(afterExpiry);
      expect(await attempt(ctx.storage, afterExpiry, afterExpiry.codeHash, at(6 * MINUTE))).toBe('accepted');
    });

    it('hands out copies: mutating what was passed in or returned changes nothing stored', async () => {
      const code = codeOf(await seedOwner(ctx.storage));
      const original = structuredClone(code);
      await ctx.storage.otpCodes.issue(code);
      code.expiresAt.setTime(0);
      code.attempts = 4;
      const found = await find(ctx.storage, original);
      expect(found).toStrictEqual(original);
      found!.createdAt.setTime(0);
      found!.codeHash = 'changed';
      expect(await find(ctx.storage, original)).toStrictEqual(original);
    });
  });
}
