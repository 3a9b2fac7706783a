import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import { createFetchHandler } from '../../../src/http/fetch-handler.js';
import type { AccountRecord, AuthEvent, Storage } from '../../../src/index.js';
import {
  createTestAuth,
  decodeJwt,
  expectAuthError,
  PASSWORD,
  registerAndLogin,
  type TestAuth,
  tokenFromMail,
} from '../helpers.js';
import { codeAt, enableTotp } from '../two-factor/helpers.js';

const EMAIL = 'ada@example.com';
const NEW_PASSWORD = 'a brand new passphrase';

/**
 * Ada with a verified address, an authenticator and two signed-in devices. (Verified: on an unproven
 * account the first proof of the mailbox forgets the factors, see panic-recovery.security.test.ts.)
 */
async function withDevices(t: TestAuth = createTestAuth()) {
  await t.auth.register({ email: EMAIL, password: PASSWORD });
  const verification = await t.outbox.waitFor((m) => m.kind === 'email-verification' && m.to === EMAIL);
  await t.auth.verifyEmail({ token: tokenFromMail(verification) });
  const first = await t.auth.login({ email: EMAIL, password: PASSWORD });
  const accountId = first.account.id;
  const { secret, recoveryCodes } = await enableTotp(t, accountId);
  const laptop = await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorRecoveryCode: recoveryCodes[9] });
  const phone = await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorRecoveryCode: recoveryCodes[8] });
  return { ...t, accountId, secret, recoveryCodes: recoveryCodes.slice(0, 8), devices: [first, laptop, phone] };
}

const panic = (t: TestAuth & { accountId: string }) => t.auth.panicLock({ group: 'default', accountId: t.accountId });

const read = async (storage: Storage, accountId: string): Promise<AccountRecord> =>
  (await storage.accounts.findById('default', accountId))!;

async function history(storage: Storage, accountId: string) {
  return (await storage.loginAttempts.listByAccount('default', accountId, { limit: 100 })).data;
}

/** Lets background mail finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('panic lock', () => {
  it('locks first, then ends every session: all refresh and access tokens are dead', async () => {
    const t = await withDevices();
    const statusWhenRevoked: string[] = [];
    t.auth.events.on('session.revoked', async (e) => void statusWhenRevoked.push((await read(t.storage, e.data.accountId)).status));
    const locked: AuthEvent<'account.locked'>[] = [];
    t.auth.events.on('account.locked', (e) => void locked.push(e));

    await panic(t);

    const account = await read(t.storage, t.accountId);
    expect(account).toMatchObject({ status: 'locked', statusReason: 'panic', statusChangedAt: t.clock.now() });
    for (const tokens of t.devices) {
      await expectAuthError(t.auth.verifyAccessToken(tokens.accessToken), 'unauthenticated');
      await expectAuthError(t.auth.refresh({ refreshToken: tokens.refreshToken }), 'unauthenticated');
    }
    const sessions = await t.storage.sessions.listByAccount('default', t.accountId);
    expect(sessions.every((s) => s.revokedReason === 'panic')).toBe(true);
    await settle();
    expect(statusWhenRevoked).toEqual(['locked']);
    expect(locked.map((e) => e.data.account.state)).toEqual([
      { status: 'locked', changedAt: t.clock.now().toISOString(), reason: 'panic' },
    ]);
  });

  it('fails closed: the account is locked before any session is revoked', async () => {
    const storage = memoryStorage();
    const order: string[] = [];
    const spy = (base: Storage): Storage => ({
      ...base,
      accounts: {
        ...base.accounts,
        update: (group, id, patch) => (patch.status && order.push(`status:${patch.status}`), base.accounts.update(group, id, patch)),
      },
      sessions: {
        ...base.sessions,
        revokeAllForAccount: (...args) => (order.push('revoke'), base.sessions.revokeAllForAccount(...args)),
      },
      // The lock and the revocations are one transaction: its repositories are watched too.
      transaction: (work) => base.transaction((tx) => work(spy(tx))),
    });
    const t = await withDevices(createTestAuth({ storage: spy(storage) }));
    order.length = 0; // the set-up's own steps (the verification ends sessions too)
    await panic(t);
    expect(order).toEqual(['status:locked', 'revoke']);
  });

  it('mails the owner', async () => {
    const t = await withDevices();
    await panic(t);
    const mail = await t.outbox.waitFor((m) => m.kind === 'account-locked');
    expect(mail.to).toBe(EMAIL);
  });

  it('refuses every login path with account_locked, after a correct password only', async () => {
    const t = await withDevices();
    const before = await challengeBeforePanic(t);
    await panic(t);

    await expectAuthError(t.auth.login({ email: EMAIL, password: 'wrong password 123' }), 'invalid_credentials');
    // A second factor is not asked for: the lock is revealed instead, and no challenge is issued.
    const error = await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD }), 'account_locked');
    expect(error.extra).toBeUndefined();
    await expectAuthError(
      t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: codeAt(t, t.secret) }),
      'account_locked',
    );
    // A challenge from before the panic cannot be completed.
    await expectAuthError(t.auth.completeTwoFactorLogin({ challenge: before, code: codeAt(t, t.secret) }), 'account_locked');
    // Nor can a password reset get in.
    await t.auth.requestPasswordReset({ email: EMAIL });
    await settle();
    expect(t.outbox.messages.filter((m) => m.kind === 'password-reset')).toHaveLength(0);

    const live = (await t.storage.sessions.listByAccount('default', t.accountId)).filter((s) => !s.revokedAt);
    expect(live).toEqual([]);
    expect((await history(t.storage, t.accountId)).filter((a) => a.failureReason === 'account_locked')).toHaveLength(3);
  });

  it('wins over a second factor checked just before it: a lock between the two steps opens no session', async () => {
    const storage = memoryStorage();
    let lockFirst: (() => Promise<void>) | null = null;
    const racing: Storage = {
      ...storage,
      oneTimeTokens: {
        ...storage.oneTimeTokens,
        async consume(hash, purpose, at) {
          if (purpose === 'login_challenge' && lockFirst) await lockFirst();
          return storage.oneTimeTokens.consume(hash, purpose, at);
        },
      },
    };
    const t = await withDevices(createTestAuth({ storage: racing }));
    const challenge = await challengeBeforePanic(t);
    lockFirst = () => panic(t);
    await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, code: codeAt(t, t.secret) }), 'account_locked');
    expect((await t.storage.sessions.listByAccount('default', t.accountId)).filter((s) => !s.revokedAt)).toEqual([]);
  });

  it('does not turn an administrator lock into one the owner could undo', async () => {
    const t = await withDevices();
    await t.storage.accounts.update('default', t.accountId, { status: 'locked', statusReason: 'admin' });
    await panic(t);
    expect(await read(t.storage, t.accountId)).toMatchObject({ status: 'locked', statusReason: 'admin' });
    await expectAuthError(t.auth.refresh({ refreshToken: t.devices[0]!.refreshToken }), 'unauthenticated');
    await expectAuthError(
      t.auth.unlockAccount({ email: EMAIL, recoveryCode: t.recoveryCodes[0]!, newPassword: NEW_PASSWORD }),
      'invalid_credentials',
    );
    expect((await read(t.storage, t.accountId)).recoveryCodesRemaining).toBe(8);
  });
});

/** A challenge issued by a correct password, one second before whatever comes next. */
async function challengeBeforePanic(t: TestAuth): Promise<string> {
  const error = await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD }), 'two_factor_required');
  t.clock.advance(1);
  return error.extra!.challenge as string;
}

describe('unlock', () => {
  async function locked() {
    const t = await withDevices();
    await panic(t);
    t.clock.advance(1);
    return t;
  }

  it('with a recovery code and a new password: tokens, the code used up, the new password in force', async () => {
    const t = await locked();
    const unlocked: AuthEvent<'account.unlocked'>[] = [];
    t.auth.events.on('account.unlocked', (e) => void unlocked.push(e));
    const [code] = t.recoveryCodes;

    const tokens = await t.auth.unlockAccount({ email: EMAIL, recoveryCode: code!, newPassword: NEW_PASSWORD, ip: '198.51.100.4' });
    expect(decodeJwt(tokens.accessToken).payload.amr).toEqual(['otp']);
    await expect(t.auth.verifyAccessToken(tokens.accessToken)).resolves.toMatchObject({ sub: t.accountId });
    expect(tokens.account).toMatchObject({
      state: { status: 'active', reason: null, changedAt: t.clock.now().toISOString() },
      twoFactor: { enabled: true, methods: ['totp'], recoveryCodesRemaining: 7 },
      events: { lastPasswordChangeAt: t.clock.now().toISOString() },
    });
    expect(unlocked.map((e) => e.data.account.state.status)).toEqual(['active']);
    expect((await history(t.storage, t.accountId)).filter((a) => a.method === 'unlock')).toMatchObject([
      { success: true, failureReason: null, ip: '198.51.100.4' },
    ]);
    const mail = await t.outbox.waitFor((m) => m.kind === 'account-unlocked');
    expect(mail.to).toBe(EMAIL);

    // The old password is gone; the new one works, and still leads to the second factor.
    await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD }), 'invalid_credentials');
    await expectAuthError(t.auth.login({ email: EMAIL, password: NEW_PASSWORD }), 'two_factor_required');
    const again = await t.auth.login({ email: EMAIL, password: NEW_PASSWORD, twoFactorCode: codeAt(t, t.secret) });
    expect(decodeJwt(again.accessToken).payload.amr).toEqual(['pwd', 'otp', 'mfa']);

    // The code is spent: after another panic it unlocks nothing; another code does.
    await panic(t);
    t.clock.advance(1);
    await expectAuthError(t.auth.unlockAccount({ email: EMAIL, recoveryCode: code!, newPassword: NEW_PASSWORD }), 'invalid_credentials');
    await expect(
      t.auth.unlockAccount({ email: EMAIL, recoveryCode: t.recoveryCodes[1]!, newPassword: PASSWORD }),
    ).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('voids challenges issued before it', async () => {
    const t = await withDevices();
    const challenge = await challengeBeforePanic(t);
    await panic(t);
    t.clock.advance(1);
    await t.auth.unlockAccount({ email: EMAIL, recoveryCode: t.recoveryCodes[0]!, newPassword: NEW_PASSWORD });
    await expectAuthError(t.auth.completeTwoFactorLogin({ challenge, code: codeAt(t, t.secret) }), 'invalid_token');
  });

  it('answers an unknown email, an active account and a wrong code alike', async () => {
    const t = await locked();
    const other = createTestAuth();
    await other.auth.register({ email: EMAIL, password: PASSWORD });
    const attempts = [
      t.auth.unlockAccount({ email: 'nobody@example.com', recoveryCode: t.recoveryCodes[0]!, newPassword: NEW_PASSWORD }),
      t.auth.unlockAccount({ email: EMAIL, recoveryCode: 'aaaaa-bbbbb-ccccc', newPassword: NEW_PASSWORD }),
      t.auth.unlockAccount({ email: 'not an email', recoveryCode: t.recoveryCodes[0]!, newPassword: NEW_PASSWORD }),
      other.auth.unlockAccount({ email: EMAIL, recoveryCode: t.recoveryCodes[0]!, newPassword: NEW_PASSWORD }),
    ];
    const errors = [];
    for (const attempt of attempts) errors.push(await expectAuthError(attempt, 'invalid_credentials'));
    expect(new Set(errors.map((e) => e.message)).size).toBe(1);
    expect(errors.every((e) => e.extra === undefined && e.details === undefined)).toBe(true);
    expect(await read(t.storage, t.accountId)).toMatchObject({ status: 'locked', recoveryCodesRemaining: 8 });
    // The owner sees the wrong code in the history.
    expect((await history(t.storage, t.accountId)).filter((a) => a.method === 'unlock')).toMatchObject([
      { success: false, failureReason: 'invalid_two_factor' },
    ]);
  });

  it('checks the new password before it spends the code', async () => {
    const t = await locked();
    const error = await expectAuthError(
      t.auth.unlockAccount({ email: EMAIL, recoveryCode: t.recoveryCodes[0]!, newPassword: 'short' }),
      'validation_failed',
    );
    expect(error.details).toEqual([{ path: 'newPassword', message: 'must be at least 8 characters' }]);
    expect(await read(t.storage, t.accountId)).toMatchObject({ status: 'locked', recoveryCodesRemaining: 8 });
  });

  it('is throttled: after 5 wrong codes even the right one is refused, for a known and an unknown email alike', async () => {
    const t = await locked();
    for (let i = 0; i < 5; i++) {
      await expectAuthError(t.auth.unlockAccount({ email: EMAIL, recoveryCode: 'aaaaa-bbbbb-ccccc', newPassword: NEW_PASSWORD }), 'invalid_credentials');
      await expectAuthError(
        t.auth.unlockAccount({ email: 'nobody@example.com', recoveryCode: 'aaaaa-bbbbb-ccccc', newPassword: NEW_PASSWORD }),
        'invalid_credentials',
      );
    }
    const known = await expectAuthError(
      t.auth.unlockAccount({ email: EMAIL, recoveryCode: t.recoveryCodes[0]!, newPassword: NEW_PASSWORD }),
      'rate_limited',
    );
    const unknown = await expectAuthError(
      t.auth.unlockAccount({ email: 'nobody@example.com', recoveryCode: t.recoveryCodes[0]!, newPassword: NEW_PASSWORD }),
      'rate_limited',
    );
    expect(known.retryAfter).toBeGreaterThan(0);
    expect(unknown.message).toBe(known.message);
    expect(await read(t.storage, t.accountId)).toMatchObject({ status: 'locked', recoveryCodesRemaining: 8 });
    const reasons = (await history(t.storage, t.accountId)).filter((a) => a.method === 'unlock').map((a) => a.failureReason);
    expect(reasons.filter((r) => r === 'invalid_two_factor')).toHaveLength(5);
    expect(reasons.filter((r) => r === 'rate_limited')).toHaveLength(1);
  });

  it('under 10 concurrent unlocks with one code, exactly one succeeds', async () => {
    const t = await locked();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        t.auth.unlockAccount({ email: EMAIL, recoveryCode: t.recoveryCodes[0]!, newPassword: NEW_PASSWORD }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(['invalid_credentials', 'rate_limited']).toContain(r.reason.code);
    }
    expect((await read(t.storage, t.accountId)).recoveryCodesRemaining).toBe(7);
  });
});

/**
 * A memory storage whose writes can be held at one chosen point: the login in flight stops there, the
 * test runs the racing change to completion, then lets the login go on. Deterministic, no timers.
 */
function gatedStorage(hold: (repository: string, method: string, args: unknown[]) => boolean) {
  const inner = memoryStorage();
  let armed = false;
  let entered!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (entered = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const holdIf = async (name: string, method: string, args: unknown[]) => {
    if (armed && hold(name, method, args)) {
      armed = false;
      entered();
      await gate;
    }
  };
  const gateAll = (base: Storage): Storage => {
    const repositories = Object.entries(base).filter(([name]) => name !== 'transaction');
    const gatedStorage = Object.fromEntries(repositories.map(([name, repository]) => [name, gated(name, repository as object)])) as unknown as Storage;
    // A sign-in's writes run in a transaction: its repositories are gated the same way.
    gatedStorage.transaction = async (work) => {
      await holdIf('transaction', 'begin', []);
      return base.transaction((tx) => work(gateAll(tx)));
    };
    return gatedStorage;
  };
  const gated = (name: string, repository: object) =>
      new Proxy(repository, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return async (...args: unknown[]) => {
            await holdIf(name, String(key), args);
            return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          };
        },
      });
  return { storage: gateAll(inner), arm: () => void (armed = true), reached, release };
}

describe('a login in flight when the account changes', () => {
  /** Where a login can be held: before it records the login, before its session exists, after its re-check. */
  const points: Array<[string, (repository: string, method: string, args: unknown[]) => boolean]> = [
    // After the password was checked, before the sign-in's transaction: the panic is all done first.
    ['the start of the sign-in transaction', (r) => r === 'transaction'],
    ['accounts.update (lastLoginAt)', (r, m, a) => r === 'accounts' && m === 'update' && 'lastLoginAt' in (a[2] as object)],
    ['sessions.create', (r, m) => r === 'sessions' && m === 'create'],
    ['loginAttempts.record (the success)', (r, m, a) => r === 'loginAttempts' && m === 'record' && (a[0] as { success: boolean }).success],
  ];

  for (const [point, hold] of points) {
    it(`a panic while a correct-password login is held at ${point}: the login fails or its session is dead`, async () => {
      const gated = gatedStorage(hold);
      const t = createTestAuth({ storage: gated.storage });
      const owner = await registerAndLogin(t.auth, { email: EMAIL });
      const handler = createFetchHandler(t.auth);
      const getAccount = (accessToken: string) =>
        handler(new Request('http://localhost/auth/account', { headers: { authorization: `Bearer ${accessToken}` } }));

      gated.arm();
      const attacker = t.auth.login({ email: EMAIL, password: PASSWORD }).then(
        (tokens) => ({ tokens }),
        (error: unknown) => ({ error }),
      );
      await gated.reached;
      // The panic lands while the login is held; it may have to wait for the login's transaction.
      const panicked = t.auth.panicLock({ group: 'default', accountId: owner.account.id });
      // Held before its transaction, the login holds nothing: the panic completes first.
      if (point.startsWith('the start')) await panicked;
      gated.release();
      await panicked;
      const outcome = await attacker;
      // A panic that landed before the transaction is seen inside it: nothing is stored, the login refused.
      if (point.startsWith('the start')) expect(outcome).toMatchObject({ error: { code: 'account_locked' } });

      if ('tokens' in outcome) {
        expect((await getAccount(outcome.tokens.accessToken)).status).toBe(401);
        await expectAuthError(t.auth.refresh({ refreshToken: outcome.tokens.refreshToken }), 'unauthenticated');
      } else {
        expect(outcome.error).toMatchObject({ code: 'account_locked' });
      }
      const live = (await t.storage.sessions.listByAccount('default', owner.account.id)).filter((s) => !s.revokedAt);
      expect(live).toEqual([]);
    });
  }

  it('a two-factor login completed while a panic lands opens no live session', async () => {
    const gated = gatedStorage((r, m, a) => r === 'accounts' && m === 'update' && 'lastLoginAt' in (a[2] as object));
    const t = await withDevices(createTestAuth({ storage: gated.storage }));
    const challenge = await challengeBeforePanic(t);
    gated.arm();
    const attacker = t.auth.completeTwoFactorLogin({ challenge, code: codeAt(t, t.secret) });
    await gated.reached;
    const panicked = panic(t);
    gated.release();
    await panicked;
    // Refused, or signed in just before the lock and revoked by it: either way nothing stays live.
    const outcome = await attacker.then(
      () => 'signed in, then revoked',
      (error: unknown) => (error as { code?: string }).code,
    );
    expect(['account_locked', 'signed in, then revoked']).toContain(outcome);
    expect((await t.storage.sessions.listByAccount('default', t.accountId)).filter((s) => !s.revokedAt)).toEqual([]);
  });

  it('a deletion, or a password change, while a login is held: invalid_credentials and no live session', async () => {
    for (const change of ['delete', 'password'] as const) {
      const gated = gatedStorage((r, m) => r === 'sessions' && m === 'create');
      const t = createTestAuth({ storage: gated.storage });
      const owner = await registerAndLogin(t.auth, { email: EMAIL });
      const accountId = owner.account.id;
      gated.arm();
      const attacker = t.auth.login({ email: EMAIL, password: PASSWORD });
      await gated.reached;
      t.clock.advance(1);
      const sessionId = decodeJwt(owner.accessToken).payload.sid as string;
      const changed =
        change === 'delete'
          ? t.auth.deleteAccount({ group: 'default', accountId, password: PASSWORD })
          : t.auth.changePassword({ group: 'default', accountId, sessionId, current: PASSWORD, next: NEW_PASSWORD });
      gated.release();
      await changed;
      // Refused, or signed in just before the change and revoked by it.
      const outcome = await attacker.then(
        () => 'signed in, then revoked',
        (error: unknown) => (error as { code?: string }).code,
      );
      expect(['invalid_credentials', 'signed in, then revoked']).toContain(outcome);
      const others = (await t.storage.sessions.listByAccount('default', accountId)).filter(
        (s) => !s.revokedAt && s.id !== decodeJwt(owner.accessToken).payload.sid,
      );
      expect(others, change).toEqual([]);
    }
  });
});

describe('a locked account is frozen', () => {
  it('cannot be deleted, nor have its code channels changed, with a token minted before the lock', async () => {
    const t = await withDevices();
    await panic(t);
    const accountId = t.accountId;
    await expectAuthError(t.auth.deleteAccount({ group: 'default', accountId, password: PASSWORD }), 'account_locked');
    await expectAuthError(t.auth.addPhone({ group: 'default', accountId, phone: '+447400123456' }), 'account_locked');
    await expectAuthError(t.auth.sendChannelCode({ group: 'default', accountId, channel: 'email' }), 'account_locked');
    await expectAuthError(
      t.auth.verifyChannel({ group: 'default', accountId, channel: 'email', code: '123456', otp: t.recoveryCodes[0] }),
      'account_locked',
    );
    await expectAuthError(
      t.auth.disableChannel({ group: 'default', accountId, channel: 'email', otp: t.recoveryCodes[0] }),
      'account_locked',
    );
    expect(await read(t.storage, accountId)).toMatchObject({ status: 'locked', recoveryCodesRemaining: 8, phoneNumber: null });
  });
});
