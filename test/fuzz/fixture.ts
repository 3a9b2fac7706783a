import { createHash, timingSafeEqual } from 'node:crypto';
import { scryptHasher } from '../../src/adapters/password/scrypt.js';
import type { WebhookSender } from '../../src/core/ports/webhooks.js';
import { createWebhookSender } from '../../src/adapters/webhooks/sender.js';
import { createFetchHandler, type FetchHandler } from '../../src/http/fetch-handler.js';
import type { PasswordHasher } from '../../src/index.js';
import { createTestAuth, decodeJwt, PASSWORD, readSigningKey, signToken } from '../core/helpers.js';

/**
 * A hasher that costs nothing: the fuzzer is after the HTTP surface, and scrypt would spend its time
 * budget. It checks imported hashes the way scrypt does, so the import route keeps its real rules.
 */
function instantHasher(): PasswordHasher {
  const real = scryptHasher({ ln: 10, r: 8, p: 1 });
  const digest = (password: string) => 'fuzz$' + createHash('sha256').update(password).digest('base64url');
  return {
    hash: async (password) => digest(password),
    verify: async (hash, password) => {
      const want = Buffer.from(digest(password));
      const got = Buffer.from(hash);
      return want.length === got.length && timingSafeEqual(want, got);
    },
    needsRehash: () => false,
    checkHash: (hash) => real.checkHash?.(hash) ?? null,
  };
}

/** Checks endpoint URLs for real (that code is fuzzed too) but never sends. */
function offlineWebhookSender(): WebhookSender {
  const real = createWebhookSender();
  return {
    check: (url) => real.check(url),
    send: async () => ({ delivered: true, status: 204, error: null, durationMs: 1, retryAfterSeconds: null, gone: false, excerpt: null }),
  };
}

/** An auth instance served in-process, with a signed-in account and admin whose tokens requests may use. */
export interface Fixture {
  /** Socket address only. */
  direct: FetchHandler;
  /** Behind one trusted proxy: reads `x-forwarded-for`. */
  proxied: FetchHandler;
  ids: { account: string; admin: string };
  tokens: { account: string; admin: string; expired: string; forged: string };
  /** Signs both in again (after a request may have ended their sessions); false when that fails. */
  refresh(): Promise<boolean>;
}

export async function createFixture(): Promise<Fixture> {
  const { auth, storage } = createTestAuth({
    passwordHasher: instantHasher(),
    webhookSender: offlineWebhookSender(),
    webauthn: { rpID: 'localhost', origins: ['http://localhost:3000'] },
  });
  await auth.register({ email: 'ada@example.com', password: PASSWORD });
  await auth.register({ email: 'admin@example.com', password: PASSWORD });
  await auth.grantRole({ email: 'admin@example.com', role: 'admin' });
  const account = await auth.login({ email: 'ada@example.com', password: PASSWORD });
  const admin = await auth.login({ email: 'admin@example.com', password: PASSWORD });

  const { header, payload } = decodeJwt(admin.accessToken);
  const key = await readSigningKey(storage);
  const expired = await signToken({ ...payload, iat: 1, exp: 2 }, key.key, { alg: key.alg, kid: key.kid, typ: header.typ as string });
  const [h, , sig] = account.accessToken.split('.');
  const forgedPayload = Buffer.from(JSON.stringify({ ...payload, sub: account.account.id, roles: ['admin'] })).toString('base64url');

  const fixture: Fixture = {
    direct: createFetchHandler(auth, { basePath: '/auth' }),
    proxied: createFetchHandler(auth, { basePath: '/auth', trustProxy: 1 }),
    ids: { account: account.account.id, admin: admin.account.id },
    tokens: { account: account.accessToken, admin: admin.accessToken, expired, forged: `${h}.${forgedPayload}.${sig}` },
    async refresh() {
      try {
        fixture.tokens.account = (await auth.login({ email: 'ada@example.com', password: PASSWORD })).accessToken;
        const admin = await auth.login({ email: 'admin@example.com', password: PASSWORD });
        fixture.tokens.admin = admin.accessToken;
        return admin.account.roles.includes('admin');
      } catch {
        return false;
      }
    },
  };
  return fixture;
}
