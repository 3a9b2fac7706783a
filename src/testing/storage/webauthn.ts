import { describe, expect, it } from 'vitest';
import type { AccountRecord, Storage, WebAuthnChallengeRecord, WebAuthnCredentialRecord } from '../../core/ports.js';
import { expectAuthError, seedAccount, seedGroup, type SuiteContext } from './helpers.js';
import { at, makeWebAuthnChallenge, makeWebAuthnCredential, randomBase64Url, uid } from './records.js';

const MINUTE = 60_000;
/** The largest signature counter an authenticator can report (unsigned 32-bit). */
const MAX_COUNTER = 2 ** 32 - 1;

async function seedOwner(storage: Storage): Promise<AccountRecord> {
  const { id: group } = await seedGroup(storage);
  return seedAccount(storage, group);
}

/** Stores a passkey of `account`. */
async function seedPasskey(
  storage: Storage,
  account: AccountRecord,
  overrides: Partial<WebAuthnCredentialRecord> = {},
): Promise<WebAuthnCredentialRecord> {
  const passkey = makeWebAuthnCredential({ ...overrides, group: account.group, accountId: account.id });
  await storage.webauthnCredentials.create(passkey);
  return passkey;
}

/** `consume` with the challenge's own hash and purpose. */
function consume(storage: Storage, challenge: WebAuthnChallengeRecord, when: Date): Promise<WebAuthnChallengeRecord | null> {
  return storage.webauthnChallenges.consume(challenge.hash, challenge.purpose, when);
}

/** `storage.webauthnCredentials` and `storage.webauthnChallenges`. */
export function describeWebAuthn(ctx: SuiteContext): void {
  describe('webauthnCredentials', () => {
    it('round-trips every field, a 1,023-byte id and a 32-bit counter included', async () => {
      const account = await seedOwner(ctx.storage);
      const fresh = await seedPasskey(ctx.storage, account, { transports: [] });
      const used = await seedPasskey(ctx.storage, account, {
        id: randomBase64Url(1023),
        publicKey: randomBase64Url(300),
        counter: MAX_COUNTER,
        transports: ['usb', 'nfc', 'ble'],
        deviceType: 'singleDevice',
        backedUp: false,
        name: `Clé ${uid('ñ')} 🔑`,
        createdAt: at(1),
        lastUsedAt: at(2),
      });
      expect(await ctx.storage.webauthnCredentials.findById(account.group, fresh.id)).toStrictEqual(fresh);
      expect(await ctx.storage.webauthnCredentials.findById(account.group, used.id)).toStrictEqual(used);
      expect(await ctx.storage.webauthnCredentials.listByAccount(account.group, account.id)).toStrictEqual([fresh, used]);
    });

    it('findById matches the id exactly, in the group only', async () => {
      const account = await seedOwner(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const passkey = await seedPasskey(ctx.storage, account, { id: `aB_-${randomBase64Url(16)}` });
      expect(await ctx.storage.webauthnCredentials.findById(other, passkey.id)).toBeNull();
      expect(await ctx.storage.webauthnCredentials.findById(account.group, passkey.id.toUpperCase())).toBeNull();
      expect(await ctx.storage.webauthnCredentials.findById(account.group, passkey.id.toLowerCase())).toBeNull();
      expect(await ctx.storage.webauthnCredentials.findById(account.group, `${passkey.id} `)).toBeNull();
      expect(await ctx.storage.webauthnCredentials.findById(account.group, randomBase64Url(32))).toBeNull();
    });

    it('create of an id the group has throws conflict and changes nothing; another group may reuse it', async () => {
      const account = await seedOwner(ctx.storage);
      const neighbour = await seedAccount(ctx.storage, account.group);
      const passkey = await seedPasskey(ctx.storage, account);
      await expectAuthError(seedPasskey(ctx.storage, neighbour, { id: passkey.id, name: 'Thief' }), 'conflict');
      expect(await ctx.storage.webauthnCredentials.findById(account.group, passkey.id)).toStrictEqual(passkey);
      expect(await ctx.storage.webauthnCredentials.listByAccount(account.group, neighbour.id)).toStrictEqual([]);

      const stranger = await seedOwner(ctx.storage);
      const namesake = await seedPasskey(ctx.storage, stranger, { id: passkey.id });
      expect(await ctx.storage.webauthnCredentials.findById(stranger.group, passkey.id)).toStrictEqual(namesake);
    });

    it("listByAccount returns the account's passkeys oldest first, and no others", async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const neighbour = await seedAccount(ctx.storage, group);
      // Ids are unique per group only: an account of another group may have the same id.
      const namesake = await seedAccount(ctx.storage, other, { id: account.id });
      const [second, third, first] = [
        await seedPasskey(ctx.storage, account, { createdAt: at(2) }),
        await seedPasskey(ctx.storage, account, { createdAt: at(3) }),
        await seedPasskey(ctx.storage, account, { createdAt: at(1) }),
      ];
      const neighbours = [await seedPasskey(ctx.storage, neighbour, { createdAt: at(0) })];
      const namesakes = [await seedPasskey(ctx.storage, namesake, { createdAt: at(0) })];
      expect(await ctx.storage.webauthnCredentials.listByAccount(group, account.id)).toStrictEqual([first, second, third]);
      expect(await ctx.storage.webauthnCredentials.listByAccount(group, neighbour.id)).toStrictEqual(neighbours);
      expect(await ctx.storage.webauthnCredentials.listByAccount(other, account.id)).toStrictEqual(namesakes);
      expect(await ctx.storage.webauthnCredentials.listByAccount(group, uid('acc'))).toStrictEqual([]);
    });

    it("rename changes the owner's passkey only; another account's id, group or an unknown id → null", async () => {
      const account = await seedOwner(ctx.storage);
      const neighbour = await seedAccount(ctx.storage, account.group);
      const { id: other } = await seedGroup(ctx.storage);
      const mine = await seedPasskey(ctx.storage, account);
      const theirs = await seedPasskey(ctx.storage, neighbour);
      const { webauthnCredentials: passkeys } = ctx.storage;

      expect(await passkeys.rename(account.group, account.id, theirs.id, 'Mine now')).toBeNull();
      expect(await passkeys.rename(other, account.id, mine.id, 'Elsewhere')).toBeNull();
      expect(await passkeys.rename(account.group, account.id, randomBase64Url(32), 'Unknown')).toBeNull();
      expect(await passkeys.findById(account.group, theirs.id)).toStrictEqual(theirs);
      expect(await passkeys.findById(account.group, mine.id)).toStrictEqual(mine);

      const renamed = { ...mine, name: 'Work laptop — Touch ID' };
      expect(await passkeys.rename(account.group, account.id, mine.id, renamed.name)).toStrictEqual(renamed);
      expect(await passkeys.findById(account.group, mine.id)).toStrictEqual(renamed);
      expect(await passkeys.rename(account.group, account.id, mine.id, renamed.name)).toStrictEqual(renamed);
    });

    it("delete removes the owner's passkey only; another account's id, group or an unknown id → false", async () => {
      const account = await seedOwner(ctx.storage);
      const neighbour = await seedAccount(ctx.storage, account.group);
      const { id: other } = await seedGroup(ctx.storage);
      const mine = await seedPasskey(ctx.storage, account, { createdAt: at(1) });
      const kept = await seedPasskey(ctx.storage, account, { createdAt: at(2) });
      const theirs = await seedPasskey(ctx.storage, neighbour);
      const { webauthnCredentials: passkeys } = ctx.storage;

      expect(await passkeys.delete(account.group, account.id, theirs.id)).toBe(false);
      expect(await passkeys.delete(other, account.id, mine.id)).toBe(false);
      expect(await passkeys.delete(account.group, account.id, randomBase64Url(32))).toBe(false);
      expect(await passkeys.findById(account.group, theirs.id)).toStrictEqual(theirs);

      expect(await passkeys.delete(account.group, account.id, mine.id)).toBe(true);
      expect(await passkeys.findById(account.group, mine.id)).toBeNull();
      expect(await passkeys.delete(account.group, account.id, mine.id)).toBe(false);
      expect(await passkeys.listByAccount(account.group, account.id)).toStrictEqual([kept]);
      expect(await passkeys.listByAccount(account.group, neighbour.id)).toStrictEqual([theirs]);
    });

    it('recordUse sets the counter and lastUsedAt only when the stored counter is the expected one', async () => {
      const account = await seedOwner(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const passkey = await seedPasskey(ctx.storage, account, { counter: 7 });
      const { webauthnCredentials: passkeys } = ctx.storage;

      expect(await passkeys.recordUse(account.group, passkey.id, 6, 8, at(1))).toBe(false);
      expect(await passkeys.recordUse(account.group, passkey.id, 8, 9, at(1))).toBe(false);
      expect(await passkeys.recordUse(other, passkey.id, 7, 8, at(1))).toBe(false);
      expect(await passkeys.recordUse(account.group, randomBase64Url(32), 7, 8, at(1))).toBe(false);
      expect(await passkeys.findById(account.group, passkey.id)).toStrictEqual(passkey);

      expect(await passkeys.recordUse(account.group, passkey.id, 7, 8, at(2))).toBe(true);
      const used = { ...passkey, counter: 8, lastUsedAt: at(2) };
      expect(await passkeys.findById(account.group, passkey.id)).toStrictEqual(used);
      expect(await passkeys.recordUse(account.group, passkey.id, 7, 9, at(3))).toBe(false);
      expect(await passkeys.findById(account.group, passkey.id)).toStrictEqual(used);

      expect(await passkeys.recordUse(account.group, passkey.id, 8, MAX_COUNTER, at(4))).toBe(true);
      const last = { ...passkey, counter: MAX_COUNTER, lastUsedAt: at(4) };
      expect(await passkeys.findById(account.group, passkey.id)).toStrictEqual(last);
    });

    it('recordUse of an authenticator without a counter (0 → 0) still records the use', async () => {
      const account = await seedOwner(ctx.storage);
      const passkey = await seedPasskey(ctx.storage, account);
      expect(await ctx.storage.webauthnCredentials.recordUse(account.group, passkey.id, 0, 0, at(5))).toBe(true);
      const used = { ...passkey, lastUsedAt: at(5) };
      expect(await ctx.storage.webauthnCredentials.findById(account.group, passkey.id)).toStrictEqual(used);
    });

    it('hands out copies: mutating what was passed in or received changes nothing stored', async () => {
      const account = await seedOwner(ctx.storage);
      const passkey = makeWebAuthnCredential({ group: account.group, accountId: account.id });
      const original = structuredClone(passkey);
      await ctx.storage.webauthnCredentials.create(passkey);
      passkey.transports.push('usb');
      passkey.createdAt.setTime(0);
      passkey.name = 'changed';
      const found = await ctx.storage.webauthnCredentials.findById(account.group, original.id);
      found!.transports.length = 0;
      found!.createdAt.setTime(0);
      const [listed] = await ctx.storage.webauthnCredentials.listByAccount(account.group, account.id);
      listed!.transports.push('nfc');
      expect(await ctx.storage.webauthnCredentials.findById(account.group, original.id)).toStrictEqual(original);
    });
  });

  describe('webauthnChallenges', () => {
    it('round-trips every field: consume returns the challenge as created, bound or not', async () => {
      const account = await seedOwner(ctx.storage);
      const registration = makeWebAuthnChallenge({
        group: account.group,
        accountId: account.id,
        purpose: 'registration',
        createdAt: at(1),
        expiresAt: at(5 * MINUTE + 7),
      });
      const discoverable = makeWebAuthnChallenge({ group: account.group, createdAt: at(2) });
      for (const challenge of [registration, discoverable]) await ctx.storage.webauthnChallenges.create(challenge);
      expect(await consume(ctx.storage, registration, at(10))).toStrictEqual(registration);
      expect(await consume(ctx.storage, discoverable, at(10))).toStrictEqual(discoverable);
    });

    it('consume hands the challenge out once, as it was before; later calls get null', async () => {
      const account = await seedOwner(ctx.storage);
      const challenge = makeWebAuthnChallenge({ group: account.group, accountId: account.id });
      await ctx.storage.webauthnChallenges.create(challenge);
      const used = await consume(ctx.storage, challenge, at(10));
      expect(used).toStrictEqual(challenge);
      expect(used?.consumedAt).toBeNull();
      expect(await consume(ctx.storage, challenge, at(11))).toBeNull();
      expect(await consume(ctx.storage, challenge, at(5))).toBeNull();
    });

    it('consume with the other purpose returns null and leaves the challenge usable', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const challenge = makeWebAuthnChallenge({ group });
      await ctx.storage.webauthnChallenges.create(challenge);
      expect(await ctx.storage.webauthnChallenges.consume(challenge.hash, 'registration', at(1))).toBeNull();
      expect(await consume(ctx.storage, challenge, at(2))).toStrictEqual(challenge);
    });

    it('consume refuses a challenge whose expiresAt is not after `at`, changing nothing', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const challenge = makeWebAuthnChallenge({ group, expiresAt: at(MINUTE) });
      await ctx.storage.webauthnChallenges.create(challenge);
      expect(await consume(ctx.storage, challenge, at(MINUTE))).toBeNull();
      expect(await consume(ctx.storage, challenge, at(MINUTE + 1))).toBeNull();
      expect(await consume(ctx.storage, challenge, at(MINUTE - 1))).toStrictEqual(challenge);
    });

    it('consume of an unknown hash returns null', async () => {
      expect(await ctx.storage.webauthnChallenges.consume(uid('wac'), 'authentication', at())).toBeNull();
      expect(await ctx.storage.webauthnChallenges.consume(uid('wac'), 'registration', at())).toBeNull();
    });

    it('deleteExpired removes challenges expired at or before `before`, used or not, at most `limit`; live ones stay', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      // Far before every other test's challenges, so the counts are this test's alone.
      const cutoff = at(-400 * 24 * 60 * MINUTE);
      const ago = (ms: number) => new Date(cutoff.getTime() - ms);
      const expired = [
        makeWebAuthnChallenge({ group, createdAt: ago(10 * MINUTE), expiresAt: ago(5 * MINUTE) }),
        makeWebAuthnChallenge({ group, createdAt: ago(9 * MINUTE), expiresAt: ago(4 * MINUTE), purpose: 'registration' }),
        makeWebAuthnChallenge({ group, createdAt: ago(5 * MINUTE), expiresAt: cutoff }),
      ];
      const used = makeWebAuthnChallenge({ group, createdAt: ago(8 * MINUTE), expiresAt: ago(3 * MINUTE) });
      const live = makeWebAuthnChallenge({ group, createdAt: ago(MINUTE), expiresAt: new Date(cutoff.getTime() + 1) });
      for (const challenge of [...expired, used, live]) await ctx.storage.webauthnChallenges.create(challenge);
      expect(await consume(ctx.storage, used, ago(6 * MINUTE))).toStrictEqual(used);

      expect(await ctx.storage.webauthnChallenges.deleteExpired(cutoff, 3)).toBe(3);
      expect(await ctx.storage.webauthnChallenges.deleteExpired(cutoff, 3)).toBe(1);
      expect(await ctx.storage.webauthnChallenges.deleteExpired(cutoff)).toBe(0);
      // The live one is still there and usable; the removed ones are gone even for an earlier `at`.
      expect(await consume(ctx.storage, live, cutoff)).toStrictEqual(live);
      for (const challenge of expired) expect(await consume(ctx.storage, challenge, ago(20 * MINUTE))).toBeNull();
    });

    it('deleteExpired without a limit removes every due challenge', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const cutoff = at(-500 * 24 * 60 * MINUTE);
      const due = Array.from({ length: 3 }, (_, i) =>
        makeWebAuthnChallenge({ group, createdAt: new Date(cutoff.getTime() - (i + 6) * MINUTE), expiresAt: new Date(cutoff.getTime() - i * MINUTE) }),
      );
      for (const challenge of due) await ctx.storage.webauthnChallenges.create(challenge);
      expect(await ctx.storage.webauthnChallenges.deleteExpired(cutoff)).toBe(3);
      expect(await ctx.storage.webauthnChallenges.deleteExpired(cutoff)).toBe(0);
    });

    it('hands out copies: mutating what was passed in changes nothing stored', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const challenge = makeWebAuthnChallenge({ group });
      const original = structuredClone(challenge);
      await ctx.storage.webauthnChallenges.create(challenge);
      challenge.expiresAt.setTime(0);
      challenge.consumedAt = at(1);
      expect(await consume(ctx.storage, original, at(2))).toStrictEqual(original);
    });
  });
}
