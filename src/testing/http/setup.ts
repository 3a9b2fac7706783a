import { decodeJwt } from 'jose';
import { expect } from 'vitest';
import { silentLogger } from '../../adapters/logger/silent.js';
import { type OutboxMailer, outboxMailer } from '../../adapters/mail/outbox.js';
import { importedHashes } from '../../adapters/password/imported-hashes.js';
import { scryptHasher } from '../../adapters/password/scrypt.js';
import { type OutboxSmsSender, outboxSmsSender } from '../../adapters/sms/outbox.js';
import type { Auth } from '../../core/auth.js';
import { createAuth } from '../../create-auth.js';
import type { AuthErrorCode, ErrorDetail } from '../../core/errors.js';
import type { AuthOptions } from '../../core/options.js';
import type { Clock, Storage } from '../../core/ports.js';
import type { CreateClient, TestClient, TestRequestInit, TestResponse } from '../http-client.js';
import { totpCode } from './totp-code.js';

/** A clock the test moves by hand: token expiry and session timeouts without waiting. */
export interface TestClock extends Clock {
  advance(seconds: number): void;
}

export function testClock(start: number = Math.floor(Date.now() / 1000) * 1000): TestClock {
  let time = start;
  return {
    now: () => new Date(time),
    advance: (seconds) => {
      time += seconds * 1000;
    },
  };
}

/** Options of one test's auth instance, on top of the suite's fixed ones. */
export interface HarnessOptions {
  groups?: boolean;
  auth?: Omit<Partial<AuthOptions>, 'storage' | 'clock' | 'logger' | 'mailer'>;
}

/** One test's world: an auth instance mounted in the adapter under test, and the clock it reads. */
export interface Harness {
  auth: Auth;
  clock: TestClock;
  /** Every mail this test's auth instance sent. */
  outbox: OutboxMailer;
  /** Every text message this test's auth instance sent. */
  sms: OutboxSmsSender;
  /** Sends a request (full path, `/auth/...`) with a fixed `user-agent`, so every adapter sees the same one. */
  request(method: string, path: string, init?: TestRequestInit): Promise<TestResponse>;
}

/** What every topic file receives. */
export interface HttpSuiteContext {
  /** Builds a fresh auth instance and client for the running test; the client is closed after it. */
  start(options?: HarnessOptions): Promise<Harness>;
}

export const SECRET = 'KLjBubkwWTRQtMJmcieZJrlFCDyQl0YMlXAbqqpH';
export const PASSWORD = 'correct horse battery staple';
export const USER_AGENT = 'latchkey-conformance/1.0';
/** A fast scrypt for tests only (the minimum the hasher accepts), reading imported hashes as createAuth's default does. */
const hasher = importedHashes(scryptHasher({ ln: 10, r: 8, p: 1 }));

/** The suite's harness factory; `closeAll` runs after every test. */
export function createSuiteContext(
  createClient: CreateClient,
  storage: () => Promise<Storage>,
): HttpSuiteContext & { closeAll(): Promise<void> } {
  const open: TestClient[] = [];
  return {
    async start(options = {}) {
      const clock = testClock();
      const outbox = outboxMailer();
      const sms = outboxSmsSender();
      const auth = createAuth({
        mailer: outbox,
        sms,
        storage: await storage(),
        secret: SECRET,
        passwordHasher: hasher,
        logger: silentLogger,
        clock,
        ...options.auth,
      });
      const client = await createClient(auth, { groups: options.groups ?? false });
      open.push(client);
      return {
        auth,
        clock,
        outbox,
        sms,
        request: (method, path, init = {}) =>
          client.request(method, path, { ...init, headers: { 'user-agent': USER_AGENT, ...init.headers } }),
      };
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((client) => client.close()));
    },
  };
}

/** A fresh address per call: the storage under test may be a database shared between tests. */
export function uniqueEmail(label = 'ada'): string {
  return `${label}.${Math.random().toString(36).slice(2, 10)}@example.com`;
}

/** A fresh group id (same reason as {@link uniqueEmail}). */
export function uniqueGroup(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  account: Record<string, any>;
}

/** Registers an account over HTTP (asserting 201). `prefix` is `/auth` or `/auth/{group}`. */
export async function registerAccount(
  h: Harness,
  options: { prefix?: string; email?: string; password?: string } = {},
): Promise<{ email: string; password: string; account: Record<string, any> }> {
  const { prefix = '/auth', email = uniqueEmail(), password = PASSWORD } = options;
  const res = await h.request('POST', `${prefix}/accounts`, { body: { email, password } });
  expect(res.status, res.text).toBe(201);
  return { email, password, account: res.body };
}

/** Logs in (asserting 200) and returns the token response. */
export async function loginAccount(h: Harness, email: string, password: string, prefix = '/auth'): Promise<Tokens> {
  const res = await h.request('POST', `${prefix}/login`, { body: { email, password } });
  expect(res.status, res.text).toBe(200);
  return res.body as Tokens;
}

/** Registers a new account and logs it in. */
export async function signedIn(
  h: Harness,
  prefix = '/auth',
): Promise<{ email: string; password: string; account: Record<string, any>; tokens: Tokens }> {
  const registered = await registerAccount(h, { prefix });
  return { ...registered, tokens: await loginAccount(h, registered.email, registered.password, prefix) };
}

/** The session id of an access token. */
export const sessionOf = (accessToken: string): string => decodeJwt(accessToken).sid as string;

/**
 * Enrols and confirms an authenticator over HTTP, proven by `password` (the account has no second
 * factor yet); the clock then moves one step on, since the confirming code is used.
 */
export async function enableTotp(
  h: Harness,
  tokens: Tokens,
  password: string = PASSWORD,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrol = await h.request('POST', '/auth/account/two-factor/totp', { headers: bearer(tokens.accessToken) });
  expect(enrol.status, enrol.text).toBe(200);
  const { secret } = enrol.body as { secret: string };
  const verify = await h.request('POST', '/auth/account/two-factor/totp/verify', {
    headers: bearer(tokens.accessToken),
    body: { code: totpCode(secret, h.clock.now()), password },
  });
  expect(verify.status, verify.text).toBe(200);
  h.clock.advance(30);
  return { secret, recoveryCodes: (verify.body as { recoveryCodes: string[] }).recoveryCodes };
}

/**
 * Asserts an error answer exactly: status, the whole body, `no-store`, JSON, and no stack trace.
 */
export function expectError(
  res: TestResponse,
  status: number,
  code: AuthErrorCode,
  message: string,
  details?: ErrorDetail[],
): void {
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status,
    body: { error: { code, message, ...(details ? { details } : {}) } },
  });
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  if (code === 'unauthenticated') expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expectNoLeak(res);
}

/** Bodies never carry stack traces or source paths. */
export function expectNoLeak(res: TestResponse): void {
  expect(res.status).toBeLessThan(500);
  expect(res.text).not.toMatch(/\n\s+at |node_modules|\.[cm]?[jt]s:\d+|stack/i);
}

export const UNAUTHENTICATED_TOKEN = 'The access token is missing, invalid, expired or revoked.';
export const BEARER_REQUIRED = 'A bearer access token is required.';
export const UNKNOWN_REFRESH = 'The refresh token is invalid or its session has ended.';
export const REFRESH_REUSED = 'This refresh token was already used; the session has been ended.';
export const INVALID_CREDENTIALS = 'The email or password is incorrect.';
export const INVALID_BODY = 'The request body is not valid.';
export const INVALID_TOKEN = 'The token is invalid, expired or already used.';
export const INVALID_TWO_FACTOR = 'The two-factor code is not valid.';
export const OTP_REQUIRED = 'An x-otp header (a current second factor: an authenticator code, a code sent to you, or a recovery code) is required.';
export const PASSWORD_REQUIRED = 'The password is required.';

/** Asserts that an access token no longer opens `GET /account`. */
export async function expectAccessDead(h: Harness, accessToken: string, prefix = '/auth'): Promise<void> {
  const res = await h.request('GET', `${prefix}/account`, { headers: bearer(accessToken) });
  expectError(res, 401, 'unauthenticated', UNAUTHENTICATED_TOKEN);
}

/** Asserts that a refresh token no longer refreshes (without rotating anything). */
export async function expectRefreshDead(h: Harness, refreshToken: string, prefix = '/auth'): Promise<void> {
  const res = await h.request('POST', `${prefix}/token/refresh`, { body: { refreshToken } });
  expectError(res, 401, 'unauthenticated', UNKNOWN_REFRESH);
}
