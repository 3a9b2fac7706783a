import { describe, expect, it } from 'vitest';
import { expectOneTrue, expectOneWinner, race, seedAccount, seedGroup, seedSession, type SuiteContext } from './helpers.js';
import {
  at,
  makeAccount,
  makeGroup,
  makeOneTimeToken,
  makeOtpCode,
  makeRefreshToken,
  makeSigningKey,
  makeWebAuthnChallenge,
  makeWebAuthnCredential,
  uid,
} from './records.js';

/** How many callers race for each atomic operation. */
const RACERS = 20;

/** The errors of the calls that failed, as text (so that a failure report shows them). */
function failures(results: PromiseSettledResult<unknown>[]): string[] {
  return results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
}

/** The values of calls that must all have been fulfilled. */
function values<T>(results: PromiseSettledResult<T>[]): T[] {
  expect(failures(results), 'no call fails').toStrictEqual([]);
  return results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}

/** How many times each value occurs. */
function tally<T extends string>(items: T[]): Partial<Record<T, number>> {
  const counts: Partial<Record<T, number>> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

/** The atomic operations of the port, each raced by {@link RACERS} concurrent callers. */
export function describeConcurrency(ctx: SuiteContext): void {
  describe(`atomicity under ${RACERS} concurrent callers`, () => {
    it('groups.create with one id: one group, the others conflict', async () => {
      const id = uid('grp');
      const groups = Array.from({ length: RACERS }, (_, i) => makeGroup({ id, name: `racer ${i}` }));
      const winner = expectOneWinner(await race(RACERS, (i) => ctx.storage.groups.create(groups[i]!)));
      expect(await ctx.storage.groups.find(id)).toStrictEqual(groups[winner]);
    });

    it('accounts.create with one (group, email): one account, the others conflict', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const email = `${uid('race')}@example.com`.toLowerCase();
      const accounts = Array.from({ length: RACERS }, () => makeAccount({ group, email }));
      const winner = expectOneWinner(await race(RACERS, (i) => ctx.storage.accounts.create(accounts[i]!)));
      expect(await ctx.storage.accounts.findByEmail(group, email)).toStrictEqual(accounts[winner]);
      for (const [i, account] of accounts.entries()) {
        if (i !== winner) expect(await ctx.storage.accounts.findById(group, account.id)).toBeNull();
      }
    });

    it('accounts.update of many accounts to one email: one takes it, the others conflict', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const accounts = await Promise.all(Array.from({ length: RACERS }, () => seedAccount(ctx.storage, group)));
      const email = `${uid('race')}@example.com`.toLowerCase();
      const results = await race(RACERS, (i) => ctx.storage.accounts.update(group, accounts[i]!.id, { email }));
      const winner = expectOneWinner(results);
      expect(await ctx.storage.accounts.findByEmail(group, email)).toStrictEqual({ ...accounts[winner]!, email });
      for (const [i, account] of accounts.entries()) {
        if (i !== winner) expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual(account);
      }
    });

    it('refreshTokens.rotate of one token: one rotated, the rest spent, one successor stored', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const session = await seedSession(ctx.storage, await seedAccount(ctx.storage, group));
      const owner = { group, accountId: session.accountId, sessionId: session.id };
      const token = makeRefreshToken(owner);
      await ctx.storage.refreshTokens.create(token);
      const successors = Array.from({ length: RACERS }, () => makeRefreshToken(owner));
      const results = await race(RACERS, (i) => ctx.storage.refreshTokens.rotate(token.hash, successors[i]!, at(i + 1)));
      const winner = expectOneTrue(results.map((result) => mapSettled(result, (outcome) => expectRotatedOrSpent(outcome))));
      const stored = await Promise.all(successors.map((s) => ctx.storage.refreshTokens.findByHash(s.hash)));
      expect(stored.filter((s) => s !== null)).toStrictEqual([successors[winner]]);
      expect(await ctx.storage.refreshTokens.findByHash(token.hash)).toStrictEqual({ ...token, rotatedAt: at(winner + 1) });
    });

    it('refreshTokens.rotate racing a revocation: rotated before it, or ended and nothing changed', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      for (let round = 0; round < 5; round++) {
        const session = await seedSession(ctx.storage, await seedAccount(ctx.storage, group));
        const owner = { group, accountId: session.accountId, sessionId: session.id };
        const token = makeRefreshToken(owner);
        const next = makeRefreshToken(owner);
        await ctx.storage.refreshTokens.create(token);
        const [rotated, revoked] = await Promise.all([
          ctx.storage.refreshTokens.rotate(token.hash, next, at(2)),
          ctx.storage.sessions.revoke(group, session.id, at(3), 'sign_out_everywhere'),
        ]);
        expect(revoked).toBe(true);
        expect(['rotated', 'ended']).toContain(rotated);
        const stored = await ctx.storage.refreshTokens.findByHash(next.hash);
        const spent = await ctx.storage.refreshTokens.findByHash(token.hash);
        if (rotated === 'rotated') {
          expect(stored).toStrictEqual(next);
          expect(spent).toStrictEqual({ ...token, rotatedAt: at(2) });
        } else {
          expect(stored).toBeNull();
          expect(spent).toStrictEqual(token);
        }
      }
    });

    it('sessions.revoke of one session: one true, its revocation kept', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const session = await seedSession(ctx.storage, await seedAccount(ctx.storage, group));
      const results = await race(RACERS, (i) => ctx.storage.sessions.revoke(group, session.id, at(i + 1), `reason ${i}`));
      const winner = expectOneTrue(results);
      const expected = { ...session, revokedAt: at(winner + 1), revokedReason: `reason ${winner}` };
      expect(await ctx.storage.sessions.findById(group, session.id)).toStrictEqual(expected);
    });

    it('revokeAllForAccount returns each session id exactly once', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const sessions = await Promise.all(Array.from({ length: 10 }, () => seedSession(ctx.storage, account)));
      const results = await Promise.all(
        Array.from({ length: RACERS }, (_, i) => ctx.storage.sessions.revokeAllForAccount(group, account.id, at(i), `r${i}`)),
      );
      const ids = results.flat();
      expect([...ids].sort()).toStrictEqual(sessions.map((s) => s.id).sort());
      for (const session of sessions) {
        const winner = results.findIndex((r) => r.includes(session.id));
        expect(await ctx.storage.sessions.findById(group, session.id)).toStrictEqual({
          ...session,
          revokedAt: at(winner),
          revokedReason: `r${winner}`,
        });
      }
    });

    it('oneTimeTokens.consume of one token: exactly one caller receives it', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const token = makeOneTimeToken({ group, accountId: account.id, email: account.email });
      await ctx.storage.oneTimeTokens.issue(token);
      const results = await race(RACERS, (i) => ctx.storage.oneTimeTokens.consume(token.hash, token.purpose, at(i + 1)));
      expect(failures(results), 'no call fails').toStrictEqual([]);
      const received = results.flatMap((result) => (result.status === 'fulfilled' && result.value ? [result.value] : []));
      expect(received).toStrictEqual([token]);
      expect(await ctx.storage.oneTimeTokens.consume(token.hash, token.purpose, at(RACERS + 1))).toBeNull();
    });

    it('oneTimeTokens.issue for one account and purpose: all succeed, exactly one token stays live', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const owner = { group, accountId: account.id, email: account.email };
      const tokens = Array.from({ length: RACERS }, (_, i) => makeOneTimeToken({ ...owner, createdAt: at(i) }));
      const results = await race(RACERS, (i) => ctx.storage.oneTimeTokens.issue(tokens[i]!));
      expect(failures(results), 'no call fails').toStrictEqual([]);
      // Whichever committed last retired every other; consuming each tells which are live.
      const live: string[] = [];
      for (const token of tokens) {
        if (await ctx.storage.oneTimeTokens.consume(token.hash, token.purpose, at(RACERS))) live.push(token.hash);
      }
      expect(live, 'exactly one token is consumable').toHaveLength(1);
    });

    it('accounts.claimTotpStep of one step: one true, the step stored', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group, { totpSecretSealed: 'sealed.secret', totpLastUsedStep: 41 });
      expectOneTrue(await race(RACERS, (i) => ctx.storage.accounts.claimTotpStep(group, account.id, 42)));
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual({ ...account, totpLastUsedStep: 42 });
    });

    it('accounts.confirmTotp of one enrolment: one true, its step and time kept', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group, { totpPendingSecretSealed: 'sealed.pending' });
      const results = await race(RACERS, (i) => ctx.storage.accounts.confirmTotp(group, account.id, 'sealed.pending', 100 + i, at(i + 1)));
      const winner = expectOneTrue(results);
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual({
        ...account,
        totpSecretSealed: 'sealed.pending',
        totpPendingSecretSealed: null,
        totpLastUsedStep: 100 + winner,
        totpEnabledAt: at(winner + 1),
        updatedAt: at(winner + 1),
      });
    });

    it('recoveryCodes.consume of one code: one true, the count decremented once', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const codes = [uid('rc'), uid('rc'), uid('rc')];
      await ctx.storage.recoveryCodes.replace(group, account.id, codes, at(1));
      expectOneTrue(await race(RACERS, (i) => ctx.storage.recoveryCodes.consume(group, account.id, codes[0]!, at(i + 2))));
      expect(await ctx.storage.accounts.findById(group, account.id)).toStrictEqual({ ...account, recoveryCodesRemaining: 2 });
    });

    it("recoveryCodes.replace of one account's codes: one set survives whole, counted right", async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const sets = Array.from({ length: RACERS }, (_, i) => Array.from({ length: 1 + (i % 3) }, () => uid('rc')));
      values(await race(RACERS, (i) => ctx.storage.recoveryCodes.replace(group, account.id, sets[i]!, at(i + 1))));
      const { recoveryCodesRemaining } = (await ctx.storage.accounts.findById(group, account.id))!;
      const working: string[][] = [];
      for (const set of sets) {
        const used = await Promise.all(set.map((code) => ctx.storage.recoveryCodes.consume(group, account.id, code, at(100))));
        if (used.some(Boolean)) working.push(set);
        expect(used.every((ok) => ok === used[0]), 'a set works whole or not at all').toBe(true);
      }
      expect(working, 'exactly one set works').toHaveLength(1);
      expect(recoveryCodesRemaining).toBe(working[0]!.length);
    });

    it('otpCodes.attempt with the right code: exactly one accepted, the others find it used', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const code = makeOtpCode({ group, accountId: account.id });
      await ctx.storage.otpCodes.issue(code);
      const results = await race(RACERS, (i) =>
        ctx.storage.otpCodes.attempt(group, account.id, code.channel, code.purpose, code.codeHash, at(i + 1), 5),
      );
      expect(tally(values(results))).toStrictEqual({ accepted: 1, missing: RACERS - 1 });
    });

    it('otpCodes.attempt with wrong codes: exactly maxAttempts counted, the rest exhausted', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const code = makeOtpCode({ group, accountId: account.id, channel: 'sms' });
      await ctx.storage.otpCodes.issue(code);
      const results = await race(RACERS, (i) =>
        ctx.storage.otpCodes.attempt(group, account.id, code.channel, code.purpose, uid('otp'), at(i + 1), 5),
      );
      expect(tally(values(results))).toStrictEqual({ rejected: 5, exhausted: RACERS - 5 });
      expect(await ctx.storage.otpCodes.find(group, account.id, code.channel, code.purpose)).toStrictEqual({ ...code, attempts: 5 });
    });

    it('webauthnCredentials.recordUse with one expected counter: one true, its counter and time kept', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const passkey = makeWebAuthnCredential({ group, accountId: account.id, counter: 41 });
      await ctx.storage.webauthnCredentials.create(passkey);
      const results = await race(RACERS, (i) => ctx.storage.webauthnCredentials.recordUse(group, passkey.id, 41, 42 + i, at(i + 1)));
      const winner = expectOneTrue(results);
      expect(await ctx.storage.webauthnCredentials.findById(group, passkey.id)).toStrictEqual({
        ...passkey,
        counter: 42 + winner,
        lastUsedAt: at(winner + 1),
      });
    });

    it('webauthnChallenges.consume of one challenge: exactly one caller receives it', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const challenge = makeWebAuthnChallenge({ group, accountId: account.id, purpose: 'registration' });
      await ctx.storage.webauthnChallenges.create(challenge);
      const results = await race(RACERS, (i) => ctx.storage.webauthnChallenges.consume(challenge.hash, challenge.purpose, at(i + 1)));
      const received = values(results).filter((value) => value !== null);
      expect(received).toStrictEqual([challenge]);
      expect(await ctx.storage.webauthnChallenges.consume(challenge.hash, challenge.purpose, at(RACERS + 1))).toBeNull();
    });

    it('signingKeys.create of one (group, generation): one key, the others conflict', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const keys = Array.from({ length: RACERS }, () => makeSigningKey({ group, generation: 1 }));
      const winner = expectOneWinner(await race(RACERS, (i) => ctx.storage.signingKeys.create(keys[i]!)));
      expect(await ctx.storage.signingKeys.listByGroup(group)).toStrictEqual([keys[winner]]);
    });
  });
}

/** `'rotated'` as true and `'spent'` as false, for {@link expectOneTrue}; anything else fails. */
function expectRotatedOrSpent(outcome: string): boolean {
  expect(['rotated', 'spent']).toContain(outcome);
  return outcome === 'rotated';
}

function mapSettled<T, U>(result: PromiseSettledResult<T>, map: (value: T) => U): PromiseSettledResult<U> {
  return result.status === 'fulfilled' ? { status: 'fulfilled', value: map(result.value) } : result;
}
