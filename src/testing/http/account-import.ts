import { pbkdf2Sync } from 'node:crypto';
import { argon2id } from '@noble/hashes/argon2.js';
import bcryptjs from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { encodeB64 } from '../../adapters/password/phc.js';
import { nextMail, settle, tokenFromMail } from './mail.js';
import {
  bearer,
  expectError,
  type Harness,
  type HttpSuiteContext,
  INVALID_TOKEN,
  loginAccount,
  PASSWORD,
  registerAccount,
  signedIn,
  type Tokens,
  uniqueGroup,
} from './setup.js';

const FORBIDDEN = 'This needs the admin role in this group.';
const NEW_PASSWORD = 'a brand new passphrase';

type Row = Record<string, unknown>;
interface Failure {
  index: number;
  email: string | null;
  error: { code: string; message: string };
}

/** A signed-in admin of the group of `prefix`, holding `roles` besides `admin`. */
async function signedInAdmin(h: Harness, prefix = '/auth', group?: string, roles: string[] = []): Promise<Tokens> {
  const { email } = await registerAccount(h, { prefix });
  for (const role of ['admin', ...roles]) await h.auth.grantRole({ group, email, role });
  return loginAccount(h, email, PASSWORD, prefix);
}

/** A fresh domain per test: the accounts of a test are found by it. */
const uniqueDomain = () => `import-${Math.random().toString(36).slice(2, 10)}.example.com`;

async function importRows(h: Harness, admin: Tokens, rows: unknown[], prefix = '/auth') {
  return h.request('POST', `${prefix}/accounts/import`, { headers: bearer(admin.accessToken), body: rows });
}

/** Every account of the group whose email is at `domain`, as `GET /accounts` pages them. */
async function accountsAt(h: Harness, admin: Tokens, domain: string, prefix = '/auth'): Promise<Record<string, any>[]> {
  const found: Record<string, any>[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `restrictEmail=${domain}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await h.request('GET', `${prefix}/accounts?${query}`, { headers: bearer(admin.accessToken) });
    expect(page.status, page.text).toBe(200);
    found.push(...(page.body.data as Record<string, any>[]));
    cursor = page.body.nextCursor as string | null;
  } while (cursor);
  return found;
}

const codesOf = (failed: Failure[]) => failed.map((f) => [f.index, f.error.code]);

/** Hashes of `PASSWORD` as other systems store them, at small costs. */
function legacyHashes(): Record<string, string> {
  const salt = new Uint8Array(16).fill(7);
  const argon = argon2id(PASSWORD, salt, { t: 1, m: 64, p: 1, dkLen: 32 });
  const pbkdf2 = pbkdf2Sync(PASSWORD, salt, 1000, 32, 'sha256');
  return {
    bcrypt: bcryptjs.hashSync(PASSWORD, 4).replace('$2b$', '$2y$'),
    argon2id: `$argon2id$v=19$m=64,t=1,p=1$${encodeB64(salt)}$${encodeB64(argon)}`,
    pbkdf2: `$pbkdf2-sha256$i=1000,l=32$${encodeB64(salt)}$${encodeB64(pbkdf2)}`,
  };
}

/** `POST /accounts/import` (api.md, "Administration"). */
export function describeAccountImport(ctx: HttpSuiteContext): void {
  describe('administration: account import', () => {
    it('imports 1000 rows, failing exactly the duplicates and bad rows, each on its own', { timeout: 60_000 }, async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h, '/auth', undefined, ['support']);
      const domain = uniqueDomain();
      const existing = await registerAccount(h, { email: `existing@${domain}` });
      const rows: Row[] = Array.from({ length: 1000 }, (_, i) => ({ email: `user${i}@${domain}`, name: { first: `U${i}` } }));
      const expected: Array<[number, string]> = [];
      const bad = (index: number, row: Row, code: string) => {
        rows[index] = row;
        expected.push([index, code]);
      };
      bad(100, { email: existing.email.toUpperCase() }, 'conflict');
      bad(200, { email: `USER150@${domain}` }, 'conflict'); // the same address as row 150
      bad(300, { email: 'not an email' }, 'validation_failed');
      bad(400, { email: `user400@${domain}`, roles: ['Not A Role'] }, 'validation_failed');
      bad(500, { email: `user500@${domain}`, roles: ['billing'] }, 'forbidden');
      bad(600, { email: `user600@${domain}`, extra: true }, 'validation_failed');
      bad(700, { email: `user700@${domain}`, passwordHash: '$md5$nope' }, 'validation_failed');
      bad(800, 42 as unknown as Row, 'validation_failed');
      bad(900, { email: `user900@${domain}`, name: { first: 'x'.repeat(101) } }, 'validation_failed');
      rows[10] = { email: `user10@${domain}`, roles: ['support', 'admin'], name: { first: ' Ada ', last: 'Lovelace' } };

      const res = await importRows(h, admin, rows);
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = res.body as { attempted: number; ok: number; failed: Failure[]; success: Record<string, any>[] };
      expect({ attempted: body.attempted, ok: body.ok, successes: body.success.length }).toEqual({ attempted: 1000, ok: 991, successes: 991 });
      expect(codesOf(body.failed)).toEqual(expected.sort((a, b) => a[0] - b[0]));
      expect(body.failed.find((f) => f.index === 200)).toEqual({ index: 200, email: `USER150@${domain}`, error: { code: 'conflict', message: 'Row 150 has the same email address.' } });
      expect(body.failed.find((f) => f.index === 800)?.email).toBeNull();
      expect(body.failed.find((f) => f.index === 700)?.error.message).toMatch(/^The password hash cannot be used: /);
      expect(body.success[10]).toMatchObject({
        email: { address: `user10@${domain}`, verified: false },
        name: { first: 'Ada', last: 'Lovelace' },
        roles: ['admin', 'support'],
        state: { status: 'active' },
      });

      const stored = await accountsAt(h, admin, domain);
      const failedIndexes = new Set(expected.map(([index]) => index));
      const wanted = rows.flatMap((_, i) => (failedIndexes.has(i) ? [] : [`user${i}@${domain}`]));
      expect(stored.map((a) => a.email.address).sort()).toEqual([...wanted, existing.email].sort());
      expect(stored.find((a) => a.email.address === existing.email)?.id).toBe(existing.account.id);
    });

    it('creates each account once when the same import runs twice at once', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const domain = uniqueDomain();
      const rows: Row[] = Array.from({ length: 60 }, (_, i) => ({ email: `u${i % 50}@${domain}` }));
      rows.push({ email: 'nope' });
      const [a, b] = await Promise.all([importRows(h, admin, rows), importRows(h, admin, rows)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.ok + b.body.ok).toBe(50);
      for (const res of [a, b]) {
        expect(res.body.attempted).toBe(61);
        expect(res.body.failed.every((f: Failure) => f.error.code === (f.index === 60 ? 'validation_failed' : 'conflict'))).toBe(true);
      }
      const stored = await accountsAt(h, admin, domain);
      expect(stored).toHaveLength(50);
      expect(new Set(stored.map((s) => s.email.address)).size).toBe(50);
    });

    it('leaves nothing behind for a failed row: no account, no change, no mail', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const domain = uniqueDomain();
      const existing = await registerAccount(h, { email: `taken@${domain}` });
      const before = h.outbox.messages.length;
      const res = await importRows(h, admin, [
        { email: existing.email, name: { first: 'Mallory' }, roles: ['admin'] },
        { email: `nogrant@${domain}`, roles: ['root'] },
        { email: `badhash@${domain}`, passwordHash: '$2b$31$' + 'a'.repeat(53) },
      ]);
      expect(res.status, res.text).toBe(200);
      expect(codesOf(res.body.failed)).toEqual([[0, 'conflict'], [1, 'forbidden'], [2, 'validation_failed']]);
      expect(res.body.failed[2].error.message).toBe('The password hash cannot be used: its cost parameters are out of the accepted bounds.');
      await settle();
      expect(h.outbox.messages.slice(before).filter((m) => m.kind === 'account-claim')).toEqual([]);
      const stored = await accountsAt(h, admin, domain);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ id: existing.account.id, name: { first: null }, roles: [] });
      await loginAccount(h, existing.email, PASSWORD);
    });

    it('mails a claim link that sets the password and verifies the address, once, for 7 days', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const domain = uniqueDomain();
      const [ada, bob] = [`ada@${domain}`, `bob@${domain}`];
      const res = await importRows(h, admin, [{ email: ada }, { email: bob }]);
      expect(res.body.ok, res.text).toBe(2);
      // No usable password before the claim.
      expectError(await h.request('POST', '/auth/login', { body: { email: ada, password: PASSWORD } }), 401, 'invalid_credentials', 'The email or password is incorrect.');

      const mail = await nextMail(h, 'account-claim', ada);
      expect(mail.text).toContain('7 days');
      const token = tokenFromMail(mail);
      const reset = await h.request('POST', '/auth/password/reset', { body: { token, password: NEW_PASSWORD } });
      expect(reset.status, reset.text).toBe(200);
      const tokens = await loginAccount(h, ada, NEW_PASSWORD);
      expect(tokens.account.email.verified).toBe(true);
      const again = await h.request('POST', '/auth/password/reset', { body: { token, password: 'yet another passphrase' } });
      expectError(again, 400, 'invalid_token', INVALID_TOKEN);

      const late = tokenFromMail(await nextMail(h, 'account-claim', bob));
      h.clock.advance(7 * 86_400 + 1);
      expectError(await h.request('POST', '/auth/password/reset', { body: { token: late, password: NEW_PASSWORD } }), 400, 'invalid_token', INVALID_TOKEN);
    });

    it('keeps an imported bcrypt, argon2 or PBKDF2 hash for the first login, and refuses a wrong password', async () => {
      const h = await ctx.start();
      const admin = await signedInAdmin(h);
      const domain = uniqueDomain();
      const hashes = legacyHashes();
      const rows = Object.entries(hashes).map(([kind, passwordHash]) => ({ email: `${kind}@${domain}`, passwordHash }));
      const res = await importRows(h, admin, rows);
      expect({ ok: res.body.ok, failed: res.body.failed }, res.text).toEqual({ ok: 3, failed: [] });
      for (const { email } of rows) {
        const wrong = await h.request('POST', '/auth/login', { body: { email, password: 'not the password' } });
        expectError(wrong, 401, 'invalid_credentials', 'The email or password is incorrect.');
        await loginAccount(h, email, PASSWORD);
        await loginAccount(h, email, PASSWORD); // now with the rehashed password
      }
    });

    it('refuses non-admins (403), more than 1000 rows (400), and roles the admin lacks', async () => {
      const h = await ctx.start();
      const user = await signedIn(h);
      const domain = uniqueDomain();
      expectError(await importRows(h, user.tokens, [{ email: `x@${domain}` }]), 403, 'forbidden', FORBIDDEN);
      const admin = await signedInAdmin(h);
      const tooMany = await importRows(h, admin, Array.from({ length: 1001 }, (_, i) => ({ email: `u${i}@${domain}` })));
      expect({ status: tooMany.status, code: tooMany.body.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
      const none = await importRows(h, admin, []);
      expect(none.status).toBe(400);
      const roles = await importRows(h, admin, [{ email: `owner@${domain}`, roles: ['owner'] }, { email: `admin@${domain}`, roles: ['admin'] }]);
      expect(codesOf(roles.body.failed)).toEqual([[0, 'forbidden']]);
      expect(roles.body.success[0].roles).toEqual(['admin']);
      expect((await accountsAt(h, admin, domain)).map((a) => a.email.address)).toEqual([`admin@${domain}`]);
    });

    it('keeps an admin of one group out of every other group (multi-group mode)', async () => {
      const h = await ctx.start({ groups: true });
      const [acme, globex] = [uniqueGroup('acme'), uniqueGroup('globex')];
      await h.auth.createGroup({ id: acme });
      await h.auth.createGroup({ id: globex });
      const admin = await signedInAdmin(h, `/auth/${acme}`, acme);
      const globexAdmin = await signedInAdmin(h, `/auth/${globex}`, globex);
      const domain = uniqueDomain();
      const other = await importRows(h, admin, [{ email: `x@${domain}` }], `/auth/${globex}`);
      expect(other.status).toBe(401);
      const own = await importRows(h, admin, [{ email: `x@${domain}` }], `/auth/${acme}`);
      expect(own.body.success[0].group).toBe(acme);
      expect(await accountsAt(h, globexAdmin, domain, `/auth/${globex}`)).toEqual([]);
      // The same address is free in the other group.
      const twin = await importRows(h, globexAdmin, [{ email: `x@${domain}` }], `/auth/${globex}`);
      expect(twin.body.ok).toBe(1);
    });
  });
}
