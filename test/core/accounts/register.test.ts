import { describe, expect, it } from 'vitest';
import type { AuthEvent } from '../../../src/index.js';
import { createTestAuth, expectAuthError, PASSWORD } from '../helpers.js';

/** The structure of a value with every leaf replaced by its type, to compare two resources' shapes. */
function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, shapeOf(v)]));
  }
  return typeof value;
}

describe('register', () => {
  it('creates an active account and returns its resource, with no secret in it', async () => {
    const { auth, storage, clock } = createTestAuth();
    const account = await auth.register({ email: 'ada@example.com', password: PASSWORD, name: { first: 'Ada', last: 'Lovelace' } });
    expect(account).toMatchObject({
      id: expect.stringMatching(/^acc_/),
      group: 'default',
      name: { first: 'Ada', last: 'Lovelace' },
      email: { address: 'ada@example.com', verified: false, verifiedAt: null },
      roles: [],
      allowSupportLogin: false,
      state: { status: 'active', reason: null },
      events: { createdAt: clock.now().toISOString(), lastLoginAt: null, deletedAt: null },
      lastLoginDevice: null,
    });
    const stored = await storage.accounts.findById('default', account.id);
    expect(stored?.passwordHash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(JSON.stringify(account)).not.toContain(stored!.passwordHash!);
    expect(JSON.stringify(account)).not.toContain(PASSWORD);
  });

  it('normalises the email: trim, NFKC, lower case', async () => {
    const { auth, storage } = createTestAuth();
    const account = await auth.register({ email: '  ＡＤＡ@Example.com ', password: PASSWORD });
    expect(account.email.address).toBe('ada@example.com');
    expect((await storage.accounts.findByEmail('default', 'ada@example.com'))?.id).toBe(account.id);
    const tokens = await auth.login({ email: 'Ada@EXAMPLE.com', password: PASSWORD });
    expect(tokens.account.id).toBe(account.id);
  });

  it('treats the same email in two groups as two accounts', async () => {
    const { auth, storage } = createTestAuth();
    await auth.createGroup({ id: 'acme' });
    const home = await auth.register({ email: 'ada@example.com', password: PASSWORD });
    const acme = await auth.register({ group: 'acme', email: 'ada@example.com', password: 'another password 42' });
    expect(acme.id).not.toBe(home.id);
    expect(acme.group).toBe('acme');
    expect((await storage.accounts.findByEmail('acme', 'ada@example.com'))?.id).toBe(acme.id);
    expect((await storage.accounts.findByEmail('default', 'ada@example.com'))?.id).toBe(home.id);
    // Each password belongs to its own group.
    await expectAuthError(auth.login({ group: 'acme', email: 'ada@example.com', password: PASSWORD }), 'invalid_credentials');
    await expect(auth.login({ group: 'acme', email: 'ada@example.com', password: 'another password 42' })).resolves.toBeDefined();
  });

  it('answers a duplicate like a new registration, without a second account or a second event', async () => {
    const { auth, storage } = createTestAuth();
    const created: AuthEvent<'account.created'>[] = [];
    auth.events.on('account.created', (e) => void created.push(e));

    const first = await auth.register({ email: 'ada@example.com', password: PASSWORD, name: { first: 'Ada' } });
    const second = await auth.register({ email: ' ADA@example.com', password: 'attacker password 1', name: { first: 'Eve' } });

    expect(shapeOf(second)).toEqual(shapeOf(first));
    expect(second.email.address).toBe('ada@example.com');
    expect(second.state.status).toBe('active');
    // The answer does not lead to the real account, nor is there a second one.
    expect(second.id).not.toBe(first.id);
    expect(await storage.accounts.findById('default', second.id)).toBeNull();
    const stored = await storage.accounts.findByEmail('default', 'ada@example.com');
    expect(stored?.id).toBe(first.id);
    expect(stored?.firstName).toBe('Ada');
    expect(created).toHaveLength(1);
    expect(created[0]!.data.account.id).toBe(first.id);
    // The owner's password is untouched; the second one does not work.
    await expect(auth.login({ email: 'ada@example.com', password: PASSWORD })).resolves.toBeDefined();
    await expectAuthError(auth.login({ email: 'ada@example.com', password: 'attacker password 1' }), 'invalid_credentials');
  });

  it('registers concurrently with one email exactly once', async () => {
    const { auth } = createTestAuth();
    let created = 0;
    auth.events.on('account.created', () => void created++);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => auth.register({ email: 'ada@example.com', password: `${PASSWORD} ${i}` })),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(created).toBe(1);
  });

  describe('password policy', () => {
    it('refuses a password shorter than the minimum, in code points', async () => {
      const { auth } = createTestAuth();
      const error = await expectAuthError(auth.register({ email: 'ada@example.com', password: '😀'.repeat(7) }), 'validation_failed');
      expect(error.details).toEqual([{ path: 'password', message: 'must be at least 8 characters' }]);
      await expect(auth.register({ email: 'ada@example.com', password: '😀'.repeat(8) })).resolves.toBeDefined();
    });

    it('refuses a password longer than the maximum', async () => {
      const { auth } = createTestAuth({ password: { maxLength: 64 } });
      await expectAuthError(auth.register({ email: 'ada@example.com', password: 'a'.repeat(65) }), 'validation_failed');
      await expect(auth.register({ email: 'ada@example.com', password: 'é'.repeat(64) })).resolves.toBeDefined();
    });

    it('refuses a password containing the email local part', async () => {
      const { auth } = createTestAuth();
      await expectAuthError(auth.register({ email: 'lovelace@example.com', password: 'I am Lovelace!' }), 'validation_failed');
    });

    it('NFKC-normalises, so another Unicode form of the same password logs in', async () => {
      const { auth } = createTestAuth();
      const composed = 'Caf\u00e9 au lait, s\u2019il vous pla\u00eet';
      const decomposed = composed.normalize('NFD');
      expect(decomposed).not.toBe(composed);
      await auth.register({ email: 'ada@example.com', password: composed });
      await expect(auth.login({ email: 'ada@example.com', password: decomposed })).resolves.toBeDefined();
      // Compatibility forms too: fullwidth digits and letters.
      await auth.register({ email: 'bob@example.com', password: 'Ｓｅｃｒｅｔ１２３４' });
      await expect(auth.login({ email: 'bob@example.com', password: 'Secret1234' })).resolves.toBeDefined();
    });
  });

  it('refuses an invalid email', async () => {
    const { auth } = createTestAuth();
    await expectAuthError(auth.register({ email: 'not an email', password: PASSWORD }), 'validation_failed');
  });

  it('allows 30 registrations an hour per IP address, new and existing emails alike', async () => {
    const { auth } = createTestAuth();
    for (let i = 0; i < 30; i++) {
      const email = i % 2 === 0 ? `user${i}@example.com` : 'user0@example.com';
      await auth.register({ email, password: PASSWORD, ip: '203.0.113.9' });
    }
    const refused = await expectAuthError(auth.register({ email: 'late@example.com', password: PASSWORD, ip: '203.0.113.9' }), 'rate_limited');
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.retryAfter).toBeLessThanOrEqual(3600);
    await expectAuthError(auth.register({ email: 'user0@example.com', password: PASSWORD, ip: '203.0.113.9' }), 'rate_limited');
    // Another address, and a caller with no address (a direct call), are not affected.
    await auth.register({ email: 'late@example.com', password: PASSWORD, ip: '198.51.100.1' });
    await auth.register({ email: 'direct@example.com', password: PASSWORD });
    // Input refused by validation costs no attempt.
    const fresh = createTestAuth();
    for (let i = 0; i < 40; i++) {
      await expectAuthError(fresh.auth.register({ email: 'not an email', password: PASSWORD, ip: '203.0.113.9' }), 'validation_failed');
    }
    await fresh.auth.register({ email: 'ok@example.com', password: PASSWORD, ip: '203.0.113.9' });
  });

  it('refuses a NUL character in the email or a name', async () => {
    const { auth, storage } = createTestAuth();
    const email = await expectAuthError(auth.register({ email: 'a\u0000@example.com', password: PASSWORD }), 'validation_failed');
    expect(email.details).toEqual([{ path: 'email', message: 'must be an email address' }]);
    const first = await expectAuthError(
      auth.register({ email: 'ada@example.com', password: PASSWORD, name: { first: 'A\u0000da' } }),
      'validation_failed',
    );
    expect(first.details).toEqual([{ path: 'name.first', message: 'must not contain NUL characters' }]);
    const last = await expectAuthError(
      auth.register({ email: 'ada@example.com', password: PASSWORD, name: { last: '\u0000' } }),
      'validation_failed',
    );
    expect(last.details).toEqual([{ path: 'name.last', message: 'must not contain NUL characters' }]);
    expect(await storage.accounts.findByEmail('default', 'ada@example.com')).toBeNull();
  });

  it('answers registration_closed in a locked group', async () => {
    const { auth, storage } = createTestAuth();
    await auth.createGroup({ id: 'closed', locked: true });
    await expectAuthError(auth.register({ group: 'closed', email: 'ada@example.com', password: PASSWORD }), 'registration_closed');
    expect(await storage.accounts.findByEmail('closed', 'ada@example.com')).toBeNull();
    // Locking the default group closes it too.
    await auth.register({ email: 'first@example.com', password: PASSWORD });
    await storage.groups.update('default', { locked: true });
    await expectAuthError(auth.register({ email: 'ada@example.com', password: PASSWORD }), 'registration_closed');
  });

  it('answers not_found for an unknown group and creates nothing', async () => {
    const { auth, storage } = createTestAuth();
    await expectAuthError(auth.register({ group: 'nope', email: 'ada@example.com', password: PASSWORD }), 'not_found');
    expect(await storage.groups.find('nope')).toBeNull();
  });
});
