import { describe, expect, it } from 'vitest';
import type {
  AccountRecord,
  LoginAttemptRecord,
  OneTimeTokenRecord,
  OtpCodeRecord,
  RefreshTokenRecord,
  SessionRecord,
  Storage,
  WebAuthnChallengeRecord,
  WebAuthnCredentialRecord,
} from '../../core/ports.js';
import { seedAccount, seedGroup, seedSession, type SuiteContext } from './helpers.js';
import {
  at,
  makeAccount,
  makeLoginAttempt,
  makeOneTimeToken,
  makeOtpCode,
  makeRefreshToken,
  makeWebAuthnChallenge,
  makeWebAuthnCredential,
  uid,
} from './records.js';

interface Owned {
  account: AccountRecord;
  sessions: SessionRecord[];
  tokens: RefreshTokenRecord[];
  attempts: LoginAttemptRecord[];
  /** Every one-time token, in the order issued; the first was retired by the second. */
  oneTimeTokens: OneTimeTokenRecord[];
  /** Unused recovery code hashes. */
  recoveryCodes: string[];
  /** An email login code and an SMS verification code, both live. */
  otpCodes: OtpCodeRecord[];
  /** Two passkeys, oldest first. */
  passkeys: WebAuthnCredentialRecord[];
  /** A registration and an authentication challenge bound to the account, both live. */
  challenges: WebAuthnChallengeRecord[];
}

/**
 * Stores an account with two sessions, a rotated token chain, two login attempts, three one-time
 * tokens (a retired reset token, its live successor and a live verification token), three recovery
 * codes, two one-time codes, two passkeys and two WebAuthn challenges bound to it.
 */
async function seedOwned(storage: Storage, group: string): Promise<Owned> {
  const recoveryCodes = [uid('rc'), uid('rc'), uid('rc')];
  const seeded = await seedAccount(storage, group);
  await storage.recoveryCodes.replace(group, seeded.id, recoveryCodes, at(1));
  const account = { ...seeded, recoveryCodesRemaining: recoveryCodes.length };
  const sessions = [await seedSession(storage, account), await seedSession(storage, account, { createdAt: at(1) })];
  const owner = { group, accountId: account.id };
  const first = makeRefreshToken({ ...owner, sessionId: sessions[0]!.id });
  const second = makeRefreshToken({ ...owner, sessionId: sessions[0]!.id, createdAt: at(60_000) });
  const third = makeRefreshToken({ ...owner, sessionId: sessions[1]!.id });
  await storage.refreshTokens.create(first);
  await storage.refreshTokens.rotate(first.hash, second, at(60_000));
  // The rotation recorded the session's use.
  sessions[0] = { ...sessions[0]!, lastUsedAt: at(60_000) };
  await storage.refreshTokens.create(third);
  const attempts = [
    makeLoginAttempt({ ...owner, email: account.email, time: at(2), success: true }),
    makeLoginAttempt({ ...owner, email: account.email, time: at(1), failureReason: 'invalid_credentials' }),
  ];
  for (const attempt of attempts) await storage.loginAttempts.record(attempt);
  const tokens = [{ ...first, rotatedAt: at(60_000) }, second, third];
  const mailed = { ...owner, email: account.email };
  const oneTimeTokens = [
    makeOneTimeToken({ ...mailed, createdAt: at(1) }),
    makeOneTimeToken({ ...mailed, createdAt: at(2) }),
    makeOneTimeToken({ ...mailed, purpose: 'email_verification', createdAt: at(3) }),
  ];
  for (const token of oneTimeTokens) await storage.oneTimeTokens.issue(token);
  const otpCodes = [makeOtpCode(owner), makeOtpCode({ ...owner, channel: 'sms', purpose: 'verify', attempts: 1 })];
  for (const code of otpCodes) await storage.otpCodes.issue(code);
  const passkeys = [makeWebAuthnCredential({ ...owner, createdAt: at(1) }), makeWebAuthnCredential({ ...owner, createdAt: at(2) })];
  for (const passkey of passkeys) await storage.webauthnCredentials.create(passkey);
  const challenges = [
    makeWebAuthnChallenge({ ...owner, purpose: 'registration' }),
    makeWebAuthnChallenge({ ...owner, purpose: 'authentication' }),
  ];
  for (const challenge of challenges) await storage.webauthnChallenges.create(challenge);
  return { account, sessions, tokens, attempts, oneTimeTokens, recoveryCodes, otpCodes, passkeys, challenges };
}

/** Asserts that everything in `owned` is stored exactly as it was (or, with `gone`, that none of it is). */
async function expectStored(storage: Storage, owned: Owned, gone = false): Promise<void> {
  const { account, sessions, tokens, attempts } = owned;
  const { group, id } = account;
  expect(await storage.accounts.findById(group, id)).toStrictEqual(gone ? null : account);
  for (const session of sessions) {
    expect(await storage.sessions.findById(group, session.id)).toStrictEqual(gone ? null : session);
  }
  expect(await storage.sessions.listByAccount(group, id)).toStrictEqual(gone ? [] : [...sessions].reverse());
  for (const token of tokens) {
    expect(await storage.refreshTokens.findByHash(token.hash)).toStrictEqual(gone ? null : token);
  }
  const page = await storage.loginAttempts.listByAccount(group, id, { limit: 10 });
  expect(page).toStrictEqual({ data: gone ? [] : attempts, nextCursor: null });
  for (const code of owned.otpCodes) {
    expect(await storage.otpCodes.find(group, id, code.channel, code.purpose)).toStrictEqual(gone ? null : code);
  }
  for (const passkey of owned.passkeys) {
    expect(await storage.webauthnCredentials.findById(group, passkey.id)).toStrictEqual(gone ? null : passkey);
  }
  expect(await storage.webauthnCredentials.listByAccount(group, id)).toStrictEqual(gone ? [] : owned.passkeys);
}

/**
 * Asserts that the challenges of `owned` are stored and usable, by using them: call it last. With
 * `gone`, that none is stored: none can be used, and for an account with the same id (created here
 * unless an earlier check did) every challenge and passkey can be stored again without a conflict.
 */
async function expectChallenges(storage: Storage, owned: Owned, gone = false): Promise<void> {
  for (const challenge of owned.challenges) {
    const used = await storage.webauthnChallenges.consume(challenge.hash, challenge.purpose, at(10));
    expect(used).toStrictEqual(gone ? null : challenge);
  }
  if (!gone) return;
  const { group, id } = owned.account;
  if (!(await storage.accounts.findById(group, id))) await storage.accounts.create(makeAccount({ group, id }));
  for (const challenge of owned.challenges) await storage.webauthnChallenges.create(challenge);
  for (const passkey of owned.passkeys) await storage.webauthnCredentials.create(passkey);
}

/**
 * Asserts that the recovery codes of `owned` work, by using them all: call it last. With `gone`, that
 * none does for an account created again with the same id (`expectOneTimeTokens` creates it).
 */
async function expectRecoveryCodes(storage: Storage, owned: Owned, gone = false): Promise<void> {
  const { group, id } = owned.account;
  for (const code of owned.recoveryCodes) {
    expect(await storage.recoveryCodes.consume(group, id, code, at(10))).toBe(!gone);
  }
  expect((await storage.accounts.findById(group, id))?.recoveryCodesRemaining).toBe(0);
}

/**
 * Asserts that the live one-time tokens of `owned` are stored and usable, by using them: call it last.
 * With `gone`, that none of the tokens is stored: the live ones cannot be used, and an account with the
 * same id can be issued every one of them again without a conflict on the hash.
 */
async function expectOneTimeTokens(storage: Storage, owned: Owned, gone = false): Promise<void> {
  const [retired, ...live] = owned.oneTimeTokens;
  expect(await storage.oneTimeTokens.consume(retired!.hash, retired!.purpose, at(10))).toBeNull();
  for (const token of live) {
    expect(await storage.oneTimeTokens.consume(token.hash, token.purpose, at(10))).toStrictEqual(gone ? null : token);
  }
  if (!gone) return;
  await storage.accounts.create(makeAccount({ group: owned.account.group, id: owned.account.id }));
  for (const token of owned.oneTimeTokens) await storage.oneTimeTokens.issue(token);
}

/** The cascade of `storage.accounts.delete`. */
export function describeAccountDeletion(ctx: SuiteContext): void {
  describe('accounts.delete cascade', () => {
    it('removes the sessions, refresh tokens, one-time tokens, login attempts, recovery codes, one-time codes, passkeys and bound challenges of the account, and only those', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const doomed = await seedOwned(ctx.storage, group);
      const kept = await seedOwned(ctx.storage, group);
      // A discoverable sign-in's challenge is bound to no account: no deletion touches it.
      const unbound = makeWebAuthnChallenge({ group });
      await ctx.storage.webauthnChallenges.create(unbound);
      await expectStored(ctx.storage, doomed);

      expect(await ctx.storage.accounts.delete(group, doomed.account.id)).toBe(true);
      await expectStored(ctx.storage, doomed, true);
      await expectStored(ctx.storage, kept);
      await expectOneTimeTokens(ctx.storage, doomed, true);
      await expectOneTimeTokens(ctx.storage, kept);
      await expectRecoveryCodes(ctx.storage, doomed, true);
      await expectRecoveryCodes(ctx.storage, kept);
      await expectChallenges(ctx.storage, doomed, true);
      await expectChallenges(ctx.storage, kept);
      expect(await ctx.storage.webauthnChallenges.consume(unbound.hash, unbound.purpose, at(10))).toStrictEqual(unbound);
    });

    it('leaves everything alone when the group does not match', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const owned = await seedOwned(ctx.storage, group);
      expect(await ctx.storage.accounts.delete(other, owned.account.id)).toBe(false);
      await expectStored(ctx.storage, owned);
      await expectOneTimeTokens(ctx.storage, owned);
      await expectRecoveryCodes(ctx.storage, owned);
      await expectChallenges(ctx.storage, owned);
    });
  });
}
