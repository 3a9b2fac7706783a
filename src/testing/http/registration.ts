import { describe, expect, it } from 'vitest';
import {
  expectError,
  type HttpSuiteContext,
  INVALID_CREDENTIALS,
  loginAccount,
  PASSWORD,
  uniqueEmail,
} from './setup.js';

const ACCOUNT_ID = /^acc_[0-9A-HJKMNP-TV-Z]{26}$/;

/** The keys of a JSON value down to its leaves, with each leaf's type: two resources of one shape match. */
function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as object).map(([key, inner]) => [key, shapeOf(inner)]));
  }
  return typeof value;
}

export function describeRegistration(ctx: HttpSuiteContext): void {
  describe('POST /accounts', () => {
    it('answers 201 with the whole account resource, email normalised, no secret in it', async () => {
      const h = await ctx.start();
      const local = uniqueEmail('Ada').split('@')[0]!;
      const res = await h.request('POST', '/auth/accounts', {
        body: { email: `  ${local}@EXAMPLE.com `, password: PASSWORD, name: { first: ' Ada ', last: 'Lovelace' } },
      });
      const now = h.clock.now().toISOString();
      expect(res.status, res.text).toBe(201);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        id: expect.stringMatching(ACCOUNT_ID),
        group: 'default',
        name: { first: 'Ada', last: 'Lovelace' },
        email: { address: `${local.toLowerCase()}@example.com`, verified: false, verifiedAt: null, addedAt: now },
        phone: { number: null, verified: false, verifiedAt: null },
        twoFactor: { enabled: false, methods: [], recoveryCodesRemaining: 0 },
        roles: [],
        allowSupportLogin: false,
        state: { status: 'active', changedAt: now, reason: null },
        events: { createdAt: now, updatedAt: now, deletedAt: null, lastLoginAt: null, lastPasswordChangeAt: now },
        lastLoginDevice: null,
      });
      expect(res.text).not.toContain(PASSWORD);
      expect(res.text).not.toMatch(/\$scrypt|\$argon|hash|secret/i);
    });

    it('answers a second registration of the same email like a new one, and keeps the first password', async () => {
      const h = await ctx.start();
      const email = uniqueEmail();
      const first = await h.request('POST', '/auth/accounts', { body: { email, password: PASSWORD } });
      const second = await h.request('POST', '/auth/accounts', {
        body: { email: email.toUpperCase(), password: 'another long passphrase', name: { first: 'Eve' } },
      });
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(shapeOf(second.body)).toEqual(shapeOf({ ...first.body, name: { first: 'Eve', last: null } }));
      expect(second.body.id).toMatch(ACCOUNT_ID);
      expect(second.body.id).not.toBe(first.body.id);
      expect(second.body.email.address).toBe(email);
      expect(second.text).not.toContain('another long passphrase');

      const tokens = await loginAccount(h, email, PASSWORD);
      expect(tokens.account.id).toBe(first.body.id);
      const refused = await h.request('POST', '/auth/login', { body: { email, password: 'another long passphrase' } });
      expectError(refused, 401, 'invalid_credentials', INVALID_CREDENTIALS);
    });

    it('applies the password policy: too short, too long, built from the email', async () => {
      const h = await ctx.start();
      const email = uniqueEmail('grace');
      const local = email.split('@')[0]!;
      const cases: [string, string][] = [
        ['short', 'must be at least 8 characters'],
        ['x'.repeat(257), 'must be at most 256 characters'],
        [`My-${local.toUpperCase()}-password`, 'must not contain the email address'],
      ];
      for (const [password, message] of cases) {
        const res = await h.request('POST', '/auth/accounts', { body: { email, password } });
        expectError(res, 400, 'validation_failed', `The password ${message}.`, [{ path: 'password', message }]);
      }
      // Counted in code points: 8 emoji are 8 characters (16 UTF-16 units) and pass.
      const emoji = await h.request('POST', '/auth/accounts', { body: { email, password: '🔑'.repeat(8) } });
      expect(emoji.status, emoji.text).toBe(201);
    });

    it('refuses an address that is not an email', async () => {
      const h = await ctx.start();
      for (const email of ['not-an-email', 'ada@', '@example.com', 'ada example@example.com']) {
        const res = await h.request('POST', '/auth/accounts', { body: { email, password: PASSWORD } });
        expectError(res, 400, 'validation_failed', 'The email address is not valid.', [
          { path: 'email', message: 'must be an email address' },
        ]);
      }
    });

    it('creates an account that can log in with the normalised email', async () => {
      const h = await ctx.start();
      const email = uniqueEmail('Mixed.Case');
      const created = await h.request('POST', '/auth/accounts', { body: { email, password: PASSWORD } });
      expect(created.status).toBe(201);
      const tokens = await loginAccount(h, `  ${email.toUpperCase()}  `, PASSWORD);
      expect(tokens.account.id).toBe(created.body.id);
    });
  });
}
