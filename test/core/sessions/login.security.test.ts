import { describe, expect, it } from 'vitest';
import { scryptHasher } from '../../../src/adapters/password/scrypt.js';
import type { Auth, Storage } from '../../../src/index.js';
import { countingHasher, createTestAuth, expectAuthError, PASSWORD, TEST_SECRET } from '../helpers.js';

const EMAIL = 'ada@example.com';

async function withAccount(overrides: Parameters<typeof createTestAuth>[0] = {}) {
  const hasher = countingHasher();
  const test = createTestAuth({ passwordHasher: hasher, ...overrides });
  const account = await test.auth.register({ email: EMAIL, password: PASSWORD });
  return { ...test, hasher, account };
}

async function history(storage: Storage, accountId: string) {
  return (await storage.loginAttempts.listByAccount('default', accountId, { limit: 100 })).data;
}

describe('login under attack', () => {
  describe('account enumeration', () => {
    it('answers an unknown email and a wrong password alike, after one password verification each', async () => {
      const { auth, hasher } = await withAccount();
      await auth.login({ email: 'warm@example.com', password: PASSWORD }).catch(() => {}); // builds the dummy hash

      hasher.verifyCalls.length = 0;
      const unknown = await expectAuthError(auth.login({ email: 'nobody@example.com', password: PASSWORD }), 'invalid_credentials');
      expect(hasher.verifyCalls).toHaveLength(1);
      const dummyHash = hasher.verifyCalls[0]!;

      hasher.verifyCalls.length = 0;
      const wrong = await expectAuthError(auth.login({ email: EMAIL, password: 'wrong password 123' }), 'invalid_credentials');
      expect(hasher.verifyCalls).toHaveLength(1);
      const realHash = hasher.verifyCalls[0]!;

      expect(unknown.message).toBe(wrong.message);
      expect(unknown.details).toEqual(wrong.details);
      expect(unknown.extra).toEqual(wrong.extra);
      // The dummy verification costs what a real one does: same scheme and parameters.
      const params = (hash: string) => hash.split('$').slice(1, 3).join('$');
      expect(params(dummyHash)).toBe(params(realHash));
      expect(dummyHash).not.toBe(realHash);
    });

    it('answers a malformed email and an account without a password the same way', async () => {
      const { auth, storage, hasher, account } = await withAccount();
      hasher.verifyCalls.length = 0;
      const malformed = await expectAuthError(auth.login({ email: 'not-an-email', password: PASSWORD }), 'invalid_credentials');
      expect(hasher.verifyCalls).toHaveLength(1);

      await storage.accounts.update('default', account.id, { passwordHash: null });
      hasher.verifyCalls.length = 0;
      const passwordless = await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'invalid_credentials');
      expect(hasher.verifyCalls).toHaveLength(1);
      expect(malformed.message).toBe(passwordless.message);
    });

    it('never puts the password or email in the error message', async () => {
      const { auth } = await withAccount();
      const error = await expectAuthError(auth.login({ email: EMAIL, password: 'hunter2-hunter2' }), 'invalid_credentials');
      expect(error.message).not.toContain('hunter2');
      expect(error.message).not.toContain(EMAIL);
    });
  });

  describe('account state', () => {
    it('reveals a locked account only after the correct password', async () => {
      const { auth, storage, account } = await withAccount();
      await storage.accounts.update('default', account.id, { status: 'locked' });
      await expectAuthError(auth.login({ email: EMAIL, password: 'wrong password 123' }), 'invalid_credentials');
      await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'account_locked');
      // No session was opened.
      expect(await storage.sessions.listByAccount('default', account.id)).toEqual([]);
    });

    it('treats a deleted account as unknown, even with the correct password', async () => {
      const { auth, storage, account, hasher } = await withAccount();
      await storage.accounts.update('default', account.id, { status: 'deleted', deletedAt: new Date() });
      hasher.verifyCalls.length = 0;
      await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'invalid_credentials');
      expect(hasher.verifyCalls).toHaveLength(1);
      expect(await storage.sessions.listByAccount('default', account.id)).toEqual([]);
    });

    it('keeps groups apart: an account of another group is unknown here', async () => {
      const { auth } = await withAccount();
      await auth.createGroup({ id: 'acme' });
      await expectAuthError(auth.login({ group: 'acme', email: EMAIL, password: PASSWORD }), 'invalid_credentials');
    });
  });

  describe('throttling', () => {
    const perAccount = { throttle: { loginPerClient: { points: 3, durationSeconds: 900 } } };

    it('refuses the 4th attempt on an account after 3 failures, even with the right password', async () => {
      const { auth, hasher } = await withAccount(perAccount);
      for (let i = 0; i < 3; i++) {
        await expectAuthError(auth.login({ email: EMAIL, password: `wrong password ${i}` }), 'invalid_credentials');
      }
      hasher.verifyCalls.length = 0;
      const limited = await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'rate_limited');
      expect(limited.retryAfter).toBeGreaterThanOrEqual(1);
      expect(limited.retryAfter).toBeLessThanOrEqual(900);
      expect(hasher.verifyCalls).toHaveLength(0); // refused before any password work
      // The counter is per normalised email: another spelling of it is the same account.
      await expectAuthError(auth.login({ email: ' ADA@Example.com', password: PASSWORD }), 'rate_limited');
    });

    it('holds under 50 concurrent guesses: no more password checks than the limit', async () => {
      const { auth, hasher } = await withAccount(perAccount);
      hasher.verifyCalls.length = 0;
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => auth.login({ email: EMAIL, password: `guess number ${i}` })),
      );
      const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
      expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(3);
      expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(47);
      expect(hasher.verifyCalls).toHaveLength(3);
    });

    it('holds the per-IP limit under 50 concurrent guesses at 50 accounts', async () => {
      const { auth, hasher } = await withAccount({ throttle: { loginPerIp: { points: 5, durationSeconds: 900 } } });
      hasher.verifyCalls.length = 0;
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          auth.login({ email: `user${i}@example.com`, password: PASSWORD, ip: '203.0.113.9' }),
        ),
      );
      const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
      expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(5);
      expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(45);
      expect(hasher.verifyCalls).toHaveLength(5);
      // Another address is not affected.
      await expectAuthError(auth.login({ email: 'x@example.com', password: PASSWORD, ip: '198.51.100.1' }), 'invalid_credentials');
    });

    it('does not count correct passwords against the IP address', async () => {
      const { auth } = await withAccount({ throttle: { loginPerIp: { points: 2, durationSeconds: 900 } } });
      for (let i = 0; i < 5; i++) await auth.login({ email: EMAIL, password: PASSWORD, ip: '203.0.113.9' });
      await expectAuthError(auth.login({ email: EMAIL, password: 'wrong password', ip: '203.0.113.9' }), 'invalid_credentials');
    });

    it('counts unknown emails like known ones', async () => {
      const { auth } = await withAccount(perAccount);
      for (let i = 0; i < 3; i++) {
        await expectAuthError(auth.login({ email: 'nobody@example.com', password: PASSWORD }), 'invalid_credentials');
      }
      await expectAuthError(auth.login({ email: 'nobody@example.com', password: PASSWORD }), 'rate_limited');
    });

    it('does not let one account’s failures throttle another', async () => {
      const { auth } = await withAccount(perAccount);
      await auth.register({ email: 'bob@example.com', password: PASSWORD });
      for (let i = 0; i < 3; i++) await auth.login({ email: EMAIL, password: 'wrong password 1' }).catch(() => {});
      await expect(auth.login({ email: 'bob@example.com', password: PASSWORD })).resolves.toBeDefined();
    });

    it('resets the account counter after a success', async () => {
      const { auth } = await withAccount(perAccount);
      for (let i = 0; i < 2; i++) {
        await expectAuthError(auth.login({ email: EMAIL, password: 'wrong password 1' }), 'invalid_credentials');
      }
      await auth.login({ email: EMAIL, password: PASSWORD });
      for (let i = 0; i < 3; i++) {
        await expectAuthError(auth.login({ email: EMAIL, password: 'wrong password 1' }), 'invalid_credentials');
      }
      await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'rate_limited');
    });

    it('limits failures per IP across emails; another IP is unaffected', async () => {
      const { auth } = await withAccount({ throttle: { loginPerIp: { points: 3, durationSeconds: 600 } } });
      const ip = '198.51.100.1';
      for (let i = 0; i < 3; i++) {
        await expectAuthError(auth.login({ ip, email: `victim${i}@example.com`, password: PASSWORD }), 'invalid_credentials');
      }
      const limited = await expectAuthError(auth.login({ ip, email: 'victim9@example.com', password: PASSWORD }), 'rate_limited');
      expect(limited.retryAfter).toBeGreaterThanOrEqual(1);
      await expectAuthError(auth.login({ ip, email: EMAIL, password: PASSWORD }), 'rate_limited');

      const other = '198.51.100.2';
      await expectAuthError(auth.login({ ip: other, email: 'victim9@example.com', password: PASSWORD }), 'invalid_credentials');
      await expect(auth.login({ ip: other, email: EMAIL, password: PASSWORD })).resolves.toBeDefined();
    });

    it('propagates a rate limiter failure instead of recording it as rate_limited', async () => {
      const down = async (): Promise<never> => {
        throw new Error('store down');
      };
      const broken = { check: down, hit: down, refund: down, reset: down };
      const { auth, storage, account } = await withAccount({ rateLimiter: broken });
      await expect(auth.login({ email: EMAIL, password: PASSWORD })).rejects.toThrow('store down');
      expect(await history(storage, account.id)).toEqual([]);
    });

    it('does not count a locked account’s correct-password attempts as failures', async () => {
      const { auth, storage, account } = await withAccount(perAccount);
      await storage.accounts.update('default', account.id, { status: 'locked' });
      for (let i = 0; i < 5; i++) await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'account_locked');
    });
  });

  describe('login history', () => {
    it('records every attempt, success or failure, rate_limited included, newest first', async () => {
      const { auth, storage, clock, account } = await withAccount({
        throttle: { loginPerAccount: { points: 3, durationSeconds: 900 } },
      });
      const at = (ip: string, userAgent: string) => ({ email: EMAIL, ip, userAgent });
      const times: string[] = [];
      const attempt = async (input: { ip: string; userAgent: string; password: string }) => {
        clock.advance(1);
        times.push(clock.now().toISOString());
        await auth.login({ ...at(input.ip, input.userAgent), password: input.password }).catch(() => {});
      };

      await attempt({ ip: '192.0.2.1', userAgent: 'UA-1', password: 'wrong password 1' });
      await attempt({ ip: '192.0.2.2', userAgent: 'UA-2', password: PASSWORD });
      await attempt({ ip: '192.0.2.3', userAgent: 'UA-3', password: 'wrong password 1' });
      await attempt({ ip: '192.0.2.3', userAgent: 'UA-3', password: 'wrong password 2' });
      await attempt({ ip: '192.0.2.4', userAgent: 'UA-4', password: PASSWORD });
      await storage.accounts.update('default', account.id, { status: 'locked' });
      await attempt({ ip: '192.0.2.5', userAgent: 'UA-5', password: PASSWORD }); // still rate limited

      const records = await history(storage, account.id);
      expect(
        records.map((r) => ({
          time: r.time.toISOString(),
          ip: r.ip,
          userAgent: r.userAgent,
          success: r.success,
          method: r.method,
          failureReason: r.failureReason,
          email: r.email,
        })),
      ).toEqual([
        { time: times[5], ip: '192.0.2.5', userAgent: 'UA-5', success: false, method: 'password', failureReason: 'rate_limited', email: EMAIL },
        { time: times[4], ip: '192.0.2.4', userAgent: 'UA-4', success: false, method: 'password', failureReason: 'rate_limited', email: EMAIL },
        { time: times[3], ip: '192.0.2.3', userAgent: 'UA-3', success: false, method: 'password', failureReason: 'invalid_credentials', email: EMAIL },
        { time: times[2], ip: '192.0.2.3', userAgent: 'UA-3', success: false, method: 'password', failureReason: 'invalid_credentials', email: EMAIL },
        { time: times[1], ip: '192.0.2.2', userAgent: 'UA-2', success: true, method: 'password', failureReason: null, email: EMAIL },
        { time: times[0], ip: '192.0.2.1', userAgent: 'UA-1', success: false, method: 'password', failureReason: 'invalid_credentials', email: EMAIL },
      ]);
    });

    it('records account_locked', async () => {
      const { auth, storage, account } = await withAccount();
      await storage.accounts.update('default', account.id, { status: 'locked' });
      await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD, ip: '192.0.2.9' }), 'account_locked');
      const [record] = await history(storage, account.id);
      expect(record).toMatchObject({ success: false, failureReason: 'account_locked', ip: '192.0.2.9', method: 'password' });
    });

    it('updates lastLoginAt and lastLoginDevice on success only', async () => {
      const { auth, storage, clock, account } = await withAccount();
      clock.advance(60);
      await expectAuthError(auth.login({ email: EMAIL, password: 'wrong password 1', userAgent: 'Evil/1.0' }), 'invalid_credentials');
      expect((await storage.accounts.findById('default', account.id))?.lastLoginAt).toBeNull();

      clock.advance(60);
      const tokens = await auth.login({ email: EMAIL, password: PASSWORD, userAgent: 'Mozilla/5.0 Test', ip: '192.0.2.1' });
      const now = clock.now();
      expect(tokens.account.events.lastLoginAt).toBe(now.toISOString());
      expect(tokens.account.lastLoginDevice).toBe('Mozilla/5.0 Test');
      const stored = await storage.accounts.findById('default', account.id);
      expect(stored?.lastLoginAt).toEqual(now);
      expect(stored?.lastLoginDevice).toBe('Mozilla/5.0 Test');
    });
  });

  describe('password hash upgrade', () => {
    it('rehashes a hash with outdated parameters at the next successful login, and only then', async () => {
      const { auth: old, storage, clock, account } = await withAccount();
      const before = (await storage.accounts.findById('default', account.id))!.passwordHash!;
      expect(before).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);

      const upgraded: Auth = createTestAuth({
        storage,
        clock,
        secret: TEST_SECRET,
        passwordHasher: scryptHasher({ ln: 11, r: 8, p: 1 }),
      }).auth;
      await expectAuthError(upgraded.login({ email: EMAIL, password: 'wrong password 1' }), 'invalid_credentials');
      expect((await storage.accounts.findById('default', account.id))!.passwordHash).toBe(before);

      await upgraded.login({ email: EMAIL, password: PASSWORD });
      const after = (await storage.accounts.findById('default', account.id))!.passwordHash!;
      expect(after).toMatch(/^\$scrypt\$ln=11,r=8,p=1\$/);
      expect(after).not.toBe(before);

      // The password still works, on the new instance and on the old one (the hash says its parameters).
      await expect(upgraded.login({ email: EMAIL, password: PASSWORD })).resolves.toBeDefined();
      expect((await storage.accounts.findById('default', account.id))!.passwordHash).toBe(after);
      await expect(old.login({ email: EMAIL, password: PASSWORD })).resolves.toBeDefined();
      await expectAuthError(upgraded.login({ email: EMAIL, password: 'wrong password 1' }), 'invalid_credentials');
    });
  });
});
