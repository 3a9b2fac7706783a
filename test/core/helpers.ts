import { importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { expect } from 'vitest';
import { silentLogger } from '../../src/adapters/logger/silent.js';
import { type OutboxMailer, outboxMailer } from '../../src/adapters/mail/outbox.js';
import { scryptHasher, type ScryptHasherOptions } from '../../src/adapters/password/scrypt.js';
import { type OutboxSmsSender, outboxSmsSender } from '../../src/adapters/sms/outbox.js';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { createSealedBox } from '../../src/core/lib/sealed-box.js';
import { type Auth, type AuthErrorCode, type AuthOptions, createAuth, isAuthError } from '../../src/index.js';
import type { Clock, PasswordHasher, Storage } from '../../src/index.js';

/** The secret every test instance uses (40 characters, fixed so sealed values are reproducible). */
export const TEST_SECRET = 'qiStgNXA9pGIp0q2nu3IHlpOVxZ_QRSIkI0WqNs1';
export const PASSWORD = 'correct horse battery staple';

/** A clock the test moves by hand. Starts at a fixed instant so ids and times are reproducible. */
export interface ManualClock extends Clock {
  /** Moves time forward by `seconds`. */
  advance(seconds: number): void;
}

export function manualClock(start = new Date('2030-01-01T00:00:00.000Z')): ManualClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(seconds) {
      now += seconds * 1000;
    },
  };
}

/** Cheap scrypt (N = 2^10) so that tests stay fast; the real parameters are tested in the adapter. */
export function fastHasher(options: ScryptHasherOptions = {}): PasswordHasher {
  return scryptHasher({ ln: 10, r: 8, p: 1, ...options });
}

/** A hasher that counts calls to `verify` and remembers the hashes it was given. */
export interface CountingHasher extends PasswordHasher {
  verifyCalls: string[];
}

export function countingHasher(inner: PasswordHasher = fastHasher()): CountingHasher {
  const verifyCalls: string[] = [];
  return {
    verifyCalls,
    hash: (password) => inner.hash(password),
    verify(hash, password) {
      verifyCalls.push(hash);
      return inner.verify(hash, password);
    },
    needsRehash: (hash) => inner.needsRehash(hash),
  };
}

export interface TestAuth {
  auth: Auth;
  storage: Storage;
  clock: ManualClock;
  /** The mails the instance sent (the default mailer; unused when `overrides.mailer` is given). */
  outbox: OutboxMailer;
  /** The text messages the instance sent (the default SMS sender; unused when `overrides.sms` is given). */
  sms: OutboxSmsSender;
}

/** An auth instance over memory storage with a manual clock; `overrides` replace any option. */
export function createTestAuth(overrides: Partial<AuthOptions> = {}): TestAuth {
  const storage = overrides.storage ?? memoryStorage();
  const clock = (overrides.clock as ManualClock | undefined) ?? manualClock();
  const outbox = outboxMailer({ clock });
  const sms = outboxSmsSender({ clock });
  const auth = createAuth({
    storage,
    secret: TEST_SECRET,
    passwordHasher: fastHasher(),
    logger: silentLogger,
    clock,
    mailer: outbox,
    sms,
    ...overrides,
  });
  return { auth, storage, clock, outbox, sms };
}

/** The token a latchkey mail carries (shared with the HTTP suite). */
export { tokenFromMail } from '../../src/testing/http/mail.js';

/** Registers `email` and logs in: the usual start of a token test. */
export async function registerAndLogin(
  auth: Auth,
  input: { email?: string; group?: string; password?: string } = {},
): Promise<Awaited<ReturnType<Auth['login']>>> {
  const email = input.email ?? 'ada@example.com';
  const password = input.password ?? PASSWORD;
  await auth.register({ email, password, group: input.group });
  return auth.login({ email, password, group: input.group });
}

/** Asserts that `promise` rejects with an `AuthError` of `code`, and returns the error. */
export async function expectAuthError(promise: Promise<unknown>, code: AuthErrorCode) {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) expect.fail(`expected AuthError('${code}'), but the call succeeded`);
  const { error } = outcome;
  if (!isAuthError(error)) expect.fail(`expected AuthError('${code}'), got ${String(error)}`);
  expect(error.code).toBe(code);
  return error;
}

/** Decodes the (unverified) payload and header of a JWT. */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

export const b64url = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The real private signing key of a group, unsealed the way an attacker holding storage and secret would. */
export async function readSigningKey(
  storage: Storage,
  group = 'default',
  generation?: number,
): Promise<{ kid: string; alg: string; privateJwk: JWK; publicJwk: JWK; sealed: string; key: CryptoKey | Uint8Array }> {
  const records = await storage.signingKeys.listByGroup(group);
  const record = generation === undefined ? records[0] : records.find((r) => r.generation === generation);
  if (!record) throw new Error(`no signing key for group ${group}`);
  const box = createSealedBox(TEST_SECRET, 'latchkey/signing-keys');
  const privateJwk = JSON.parse(await box.open(record.privateJwkSealed)) as JWK;
  return {
    kid: record.id,
    alg: record.alg,
    privateJwk,
    publicJwk: JSON.parse(record.publicJwk) as JWK,
    sealed: record.privateJwkSealed,
    key: await importJWK(privateJwk, record.alg),
  };
}

/** Signs `payload` as-is with `key` and the given protected header (defaults: the real token's header). */
export function signToken(
  payload: JWTPayload,
  key: CryptoKey | Uint8Array,
  header: { alg: string; kid?: string; typ?: string },
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ typ: 'at+jwt', ...header }).sign(key);
}
