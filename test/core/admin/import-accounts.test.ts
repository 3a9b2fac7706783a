import bcryptjs from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { importedHashes } from '../../../src/adapters/password/imported-hashes.js';
import { hashToken } from '../../../src/core/lib/token-hash.js';
import { createTestAuth, expectAuthError, fastHasher, PASSWORD, tokenFromMail } from '../helpers.js';

describe('importAccounts (core)', () => {
  it('stores only the SHA-256 of the claim token, and the claim sets the password and verifies the address', async () => {
    const { auth, storage, outbox } = createTestAuth();
    const result = await auth.importAccounts({ rows: [{ email: 'ada@example.com' }] });
    const mail = await outbox.waitFor((m) => m.kind === 'account-claim' && m.to === 'ada@example.com');
    const token = tokenFromMail(mail);
    const record = await storage.oneTimeTokens.find(hashToken(token));
    expect(record).toMatchObject({ purpose: 'account_claim', accountId: result.success[0]!.id, consumedAt: null });
    expect(record!.expiresAt.getTime() - record!.createdAt.getTime()).toBe(7 * 86_400_000);
    expect(await storage.oneTimeTokens.find(token)).toBeNull();
    expect(JSON.stringify(record)).not.toContain(token);

    await auth.resetPassword({ token, password: PASSWORD });
    const account = await storage.accounts.findByEmail('default', 'ada@example.com');
    expect(account!.emailVerifiedAt).not.toBeNull();
    await auth.login({ email: 'ada@example.com', password: PASSWORD });
    await expectAuthError(auth.resetPassword({ token, password: PASSWORD }), 'invalid_token');
  });

  it('keeps an imported bcrypt hash until the first login, which replaces it with scrypt', async () => {
    const { auth, storage } = createTestAuth({ passwordHasher: importedHashes(fastHasher()) });
    await auth.importAccounts({ rows: [{ email: 'grace@example.com', passwordHash: bcryptjs.hashSync(PASSWORD, 4) }] });
    expect((await storage.accounts.findByEmail('default', 'grace@example.com'))!.passwordHash).toMatch(/^\$2b\$04\$/);
    await expectAuthError(auth.login({ email: 'grace@example.com', password: 'wrong password here' }), 'invalid_credentials');
    await auth.login({ email: 'grace@example.com', password: PASSWORD });
    expect((await storage.accounts.findByEmail('default', 'grace@example.com'))!.passwordHash).toMatch(/^\$scrypt\$/);
    await auth.login({ email: 'grace@example.com', password: PASSWORD });
  });

  it('refuses a hash the plain scrypt hasher cannot read, emits account.created and audits the call once', async () => {
    const { auth } = createTestAuth();
    const created: string[] = [];
    auth.events.on('account.created', (event) => void created.push(event.data.account.email.address));
    await auth.register({ email: 'admin@example.com', password: PASSWORD });
    const admin = await auth.grantRole({ email: 'admin@example.com', role: 'admin' });
    const result = await auth.importAccounts({
      actorId: admin.id,
      ip: '203.0.113.9',
      rows: [{ email: 'a@example.com' }, { email: 'b@example.com', passwordHash: '$2b$04$' + 'a'.repeat(53) }],
    });
    expect(result.failed).toEqual([
      { index: 1, email: 'b@example.com', error: { code: 'validation_failed', message: 'The password hash cannot be used: its format is not supported.' } },
    ]);
    expect(created).toContain('a@example.com');
    const audit = await auth.listAuditLog({ limit: 5 });
    const entry = audit.data.find((e) => e.action === 'account.import');
    expect(entry).toMatchObject({ actor: { id: admin.id, ip: '203.0.113.9' }, target: { type: 'group', id: 'default' }, details: { attempted: 2, ok: 1, failed: 1 } });
    await expectAuthError(auth.importAccounts({ rows: [] }), 'validation_failed');
    await expectAuthError(auth.importAccounts({ actorId: 'acc_nobody', rows: [{ email: 'c@example.com' }] }), 'forbidden');
  });
});
