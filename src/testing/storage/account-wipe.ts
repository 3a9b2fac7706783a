import { describe, expect, it } from 'vitest';
import type { AccountRecord, OtpCodeRecord, Storage } from '../../core/ports.js';
import { seedAccount, seedGroup, type SuiteContext } from './helpers.js';
import { at, makeOtpCode, makeWebAuthnChallenge, makeWebAuthnCredential, randomBase64Url, uid } from './records.js';

/** An account, a neighbour in its group, and an account of the same id in another group. */
interface Accounts {
  account: AccountRecord;
  neighbour: AccountRecord;
  namesake: AccountRecord;
}

async function seedAccounts(storage: Storage): Promise<Accounts> {
  const { id: group } = await seedGroup(storage);
  const { id: other } = await seedGroup(storage);
  const account = await seedAccount(storage, group);
  return {
    account,
    neighbour: await seedAccount(storage, group),
    namesake: await seedAccount(storage, other, { id: account.id }),
  };
}

function findOtp(storage: Storage, code: OtpCodeRecord): Promise<OtpCodeRecord | null> {
  return storage.otpCodes.find(code.group, code.accountId, code.channel, code.purpose);
}

/**
 * The per-account wipes: `webauthnCredentials.deleteAllForAccount`, `webauthnChallenges.deleteForAccount`
 * and `otpCodes.deleteForAccount` each remove every row of that account in that group, and no other.
 */
export function describeAccountWipe(ctx: SuiteContext): void {
  describe('per-account wipes', () => {
    it("webauthnCredentials.deleteAllForAccount removes the account's passkeys only and counts them", async () => {
      const { account, neighbour, namesake } = await seedAccounts(ctx.storage);
      const passkey = (owner: AccountRecord, offset: number) =>
        makeWebAuthnCredential({ group: owner.group, accountId: owner.id, createdAt: at(offset) });
      const mine = [passkey(account, 1), passkey(account, 2), passkey(account, 3)];
      const theirs = passkey(neighbour, 4);
      const namesakes = passkey(namesake, 5);
      for (const credential of [...mine, theirs, namesakes]) await ctx.storage.webauthnCredentials.create(credential);
      const { webauthnCredentials: passkeys } = ctx.storage;

      expect(await passkeys.deleteAllForAccount(account.group, account.id)).toBe(3);
      expect(await passkeys.listByAccount(account.group, account.id)).toStrictEqual([]);
      for (const credential of mine) expect(await passkeys.findById(account.group, credential.id)).toBeNull();
      expect(await passkeys.listByAccount(neighbour.group, neighbour.id)).toStrictEqual([theirs]);
      expect(await passkeys.listByAccount(namesake.group, namesake.id)).toStrictEqual([namesakes]);
      expect(await passkeys.deleteAllForAccount(account.group, account.id)).toBe(0);
      expect(await passkeys.deleteAllForAccount(account.group, uid('acc'))).toBe(0);
      // The ids are free again.
      await passkeys.create(mine[0]!);
      expect(await passkeys.listByAccount(account.group, account.id)).toStrictEqual([mine[0]]);
    });

    it('webauthnChallenges.deleteForAccount removes the challenges bound to the account, used or not', async () => {
      const { account, neighbour, namesake } = await seedAccounts(ctx.storage);
      const challenge = (owner: AccountRecord | null, purpose: 'registration' | 'authentication' = 'registration') =>
        makeWebAuthnChallenge({ group: owner?.group ?? account.group, accountId: owner?.id ?? null, purpose });
      const mine = [challenge(account), challenge(account, 'authentication'), challenge(account)];
      const kept = [challenge(neighbour), challenge(namesake), challenge(null, 'authentication')];
      for (const c of [...mine, ...kept]) await ctx.storage.webauthnChallenges.create(c);
      const used = mine[2]!;
      expect(await ctx.storage.webauthnChallenges.consume(used.hash, used.purpose, at(1))).toStrictEqual(used);

      expect(await ctx.storage.webauthnChallenges.deleteForAccount(account.group, account.id)).toBe(3);
      for (const c of mine) expect(await ctx.storage.webauthnChallenges.consume(c.hash, c.purpose, at(2))).toBeNull();
      for (const c of kept) expect(await ctx.storage.webauthnChallenges.consume(c.hash, c.purpose, at(2))).toStrictEqual(c);
      expect(await ctx.storage.webauthnChallenges.deleteForAccount(account.group, account.id)).toBe(0);
      // The hashes are free again.
      await ctx.storage.webauthnChallenges.create(mine[0]!);
      expect(await ctx.storage.webauthnChallenges.consume(mine[0]!.hash, mine[0]!.purpose, at(3))).toStrictEqual(mine[0]);
    });

    it('otpCodes.deleteForAccount removes every code of the account, live or not, and their attempt counts', async () => {
      const { account, neighbour, namesake } = await seedAccounts(ctx.storage);
      const code = (owner: AccountRecord, overrides: Partial<OtpCodeRecord> = {}) =>
        makeOtpCode({ group: owner.group, accountId: owner.id, ...overrides });
      const live = code(account, { attempts: 2 });
      const used = code(account, { purpose: 'verify', consumedAt: at(1) });
      const mine = [live, code(account, { channel: 'sms', purpose: 'verify' }), used];
      const kept = [code(neighbour), code(namesake)];
      for (const c of [...mine, ...kept]) await ctx.storage.otpCodes.issue(c);

      expect(await ctx.storage.otpCodes.deleteForAccount(account.group, account.id)).toBe(3);
      for (const c of mine) expect(await findOtp(ctx.storage, c)).toBeNull();
      for (const c of kept) expect(await findOtp(ctx.storage, c)).toStrictEqual(c);
      expect(await ctx.storage.otpCodes.deleteForAccount(account.group, account.id)).toBe(0);
      // A code issued afterwards starts afresh: the deleted one's attempts do not carry over.
      const next = code(account, { codeHash: randomBase64Url(16), createdAt: at(2) });
      await ctx.storage.otpCodes.issue(next);
      expect(await findOtp(ctx.storage, next)).toStrictEqual(next);
    });
  });
}
