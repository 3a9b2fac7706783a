import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp as createExpressApp } from '../../examples/express/app.js';
import { createApp as createFastifyApp } from '../../examples/fastify/app.js';
import { createApp } from '../../examples/hono/app.js';
import { createExampleAuth, type ExampleAppOptions, type ExampleAuth } from '../../examples/shared/config.js';
import type { SmsOutboxEntry } from '../../examples/shared/sms.js';
import { silentLogger } from '../../src/adapters/index.js';
import type { Clock } from '../../src/core/ports.js';

/**
 * The done-when scenario ("Second factors and the panic lock"), walked over real HTTP against
 * the `npm start` app (createExampleAuth on SQLite, outbox mailer, SMS outbox at `GET /dev/sms`):
 * enable TOTP → recovery codes → login needs the second factor → challenge flow and one-shot flow →
 * the same code refused twice → a recovery code works once → an SMS code read from `/dev/sms` verifies
 * the phone → panic → every token dead and login `account_locked` → unlock with a recovery code →
 * login works with the new password.
 *
 * TOTP codes come from this file's own RFC 6238 implementation (below), never from latchkey's. Time is
 * a clock moved by hand, so every code is computed for a known 30-second step and nothing depends on
 * where the wall clock happens to fall within a step.
 */

// --- RFC 6238, written here from the RFC -------------------------------------------------------------

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 → bytes (case-insensitive, `=` padding optional). */
function base32Decode(input: string): Buffer {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of input.replace(/=+$/, '').toUpperCase()) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value === -1) throw new Error(`not a base32 character: ${char}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP with dynamic truncation. */
function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[19]! & 0x0f;
  const binary =
    ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 TOTP: T0 = 0, X = 30 s, HMAC-SHA-1, 6 digits; the code of the step `time` falls in. */
function totp(secretBase32: string, time: Date): string {
  return hotp(base32Decode(secretBase32), Math.floor(time.getTime() / 1000 / 30));
}

// --- helpers -----------------------------------------------------------------------------------------

/** A clock moved by hand, starting just after a 30-second step boundary near the real time. */
function handClock(): Clock & { advance(seconds: number): void } {
  let now = Math.floor(Date.now() / 30_000) * 30_000 + 1_000;
  return {
    now: () => new Date(now),
    advance(seconds) {
      now += seconds * 1000;
    },
  };
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

function client(base: string) {
  return async function call(
    method: string,
    path: string,
    init: { json?: unknown; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const body = init.json === undefined ? undefined : JSON.stringify(init.json);
    const response = await fetch(base + path, { method, headers, body });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, text, body: json };
  };
}

interface Listening {
  base: string;
  close(): Promise<void>;
}

async function listen(example: ExampleAuth, options: ExampleAppOptions): Promise<Listening> {
  const app = createApp(example.auth, options);
  let server!: ServerType;
  const base = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
  });
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The `amr` claim of an access token (read, not verified: the server verified it). */
function amrOf(accessToken: string): string[] {
  return JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')).amr;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  account: any;
}

function expectTokens(answer: Answer, amr: string[]): Tokens {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
  expect(amrOf(answer.body.accessToken)).toEqual(amr);
  return answer.body as Tokens;
}

function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.body.error.code).toBe(code);
}

const RECOVERY_CODE = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** A UK mobile number: libphonenumber accepts it (latchkey refuses numbers it calls invalid). */
const PHONE = '+447400123456';
const PHONE_SHOWN = '+44********56';

// --- the scenario ------------------------------------------------------------------------------------

describe('examples/hono: two factors and the panic lock over HTTP (the issue’s done-when)', () => {
  let dir: string;
  let example: ExampleAuth;
  const clock = handClock();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-two-factor-'));
    example = await createExampleAuth({
      env: { DATABASE_URL: `sqlite:${join(dir, 'latchkey.sqlite')}` },
      dataDir: join(dir, 'data'),
      secretDir: join(dir, '.latchkey'),
      logger: silentLogger,
      warn: () => {},
      clock,
    });
  });

  afterAll(async () => {
    await example?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('this file’s TOTP matches RFC 6238 Appendix B (SHA-1) and RFC 4226 Appendix D', () => {
    const key = Buffer.from('12345678901234567890');
    expect(hotp(key, 0)).toBe('755224');
    expect(hotp(key, 9)).toBe('520489');
    expect(hotp(key, Math.floor(59 / 30), 8)).toBe('94287082');
    expect(hotp(key, Math.floor(1111111109 / 30), 8)).toBe('07081804');
    expect(hotp(key, Math.floor(20000000000 / 30), 8)).toBe('65353130');
    // base32 of the same key (RFC 4648 alphabet), and the 6-digit TOTP at T = 59 s.
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toEqual(key);
    expect(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', new Date(59_000))).toBe('287082');
  });

  it('walks TOTP → recovery codes → two-step and one-shot login → SMS via /dev/sms → panic → unlock', async () => {
    const app = await listen(example, { outbox: example.outbox, sms: example.sms });
    try {
      const call = client(app.base);
      const email = `ada.${randomBytes(4).toString('hex')}@example.com`;
      const password = 'correct horse battery staple';
      const newPassword = 'a brand new passphrase after the panic';

      const index = await call('GET', '/api');
      expect(index.body.routes).toHaveProperty(['GET /dev/sms']);
      expect(index.body.routes).toHaveProperty(['POST /auth/login/two-factor']);
      expect(index.body.routes).toHaveProperty(['PUT /auth/account/panic']);
      expect(index.body.routes).toHaveProperty(['POST /auth/account/unlock']);

      // Register and sign in: the first session (opened before any second factor).
      expect((await call('POST', '/auth/accounts', { json: { email, password } })).status).toBe(201);
      const first = expectTokens(await call('POST', '/auth/login', { json: { email, password } }), ['pwd']);
      const access = first.accessToken;

      // Enrol TOTP: the secret (base32, 160 bits), its otpauth URI and a QR code.
      const enrol = await call('POST', '/auth/account/two-factor/totp', { token: access });
      expect(enrol.status, enrol.text).toBe(200);
      expect(enrol.headers.get('cache-control')).toBe('no-store');
      const { secret, uri, qrCodeSvg } = enrol.body as { secret: string; uri: string; qrCodeSvg: string };
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(base32Decode(secret)).toHaveLength(20);
      expect(uri).toBe(
        `otpauth://totp/latchkey%20demo:${encodeURIComponent(email)}?secret=${secret}` +
          '&issuer=latchkey%20demo&algorithm=SHA1&digits=6&period=30',
      );
      expect(qrCodeSvg).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
      // Pending until verified: no second factor yet.
      expect((await call('GET', '/auth/account', { token: access })).body.twoFactor).toEqual({
        enabled: false,
        methods: [],
        recoveryCodesRemaining: 0,
      });

      // A proof is due even right after signing in: without the password, nothing happens.
      const unproven = await call('POST', '/auth/account/two-factor/totp/verify', {
        token: access,
        json: { code: totp(secret, clock.now()) },
      });
      expectError(unproven, 400, 'validation_failed');
      expect(unproven.body.error.details).toEqual([{ path: 'password', message: 'is required' }]);

      // Confirm with a code computed here, and the password (no second factor yet): TOTP on, 10
      // recovery codes, shown once.
      const confirmed = await call('POST', '/auth/account/two-factor/totp/verify', {
        token: access,
        json: { code: totp(secret, clock.now()), password },
      });
      expect(confirmed.status, confirmed.text).toBe(200);
      const recoveryCodes = confirmed.body.recoveryCodes as string[];
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      for (const code of recoveryCodes) expect(code).toMatch(RECOVERY_CODE);
      expect((await call('GET', '/auth/account', { token: access })).body.twoFactor).toEqual({
        enabled: true,
        methods: ['totp'],
        recoveryCodesRemaining: 10,
      });

      // The password alone is no longer enough: 401 two_factor_required with the methods and a challenge.
      clock.advance(30);
      const needed = await call('POST', '/auth/login', { json: { email, password } });
      expect({ status: needed.status, body: needed.body }).toEqual({
        status: 401,
        body: {
          error: { code: 'two_factor_required', message: 'A second factor is required.' },
          methods: ['totp'],
          challenge: expect.stringMatching(CHALLENGE),
        },
      });
      const challenge = needed.body.challenge as string;

      // Challenge flow: the challenge and a TOTP → tokens with amr pwd + otp (+ mfa).
      const stepCode = totp(secret, clock.now());
      const twoStep = expectTokens(
        await call('POST', '/auth/login/two-factor', { json: { challenge, code: stepCode } }),
        ['pwd', 'otp', 'mfa'],
      );
      expect(twoStep.account.email.address).toBe(email);
      expect((await call('GET', '/auth/account', { token: twoStep.accessToken })).status).toBe(200);
      // The challenge is single use.
      clock.advance(30);
      const challengeAgain = await call('POST', '/auth/login/two-factor', {
        json: { challenge, code: totp(secret, clock.now()) },
      });
      expectError(challengeAgain, 400, 'invalid_token');

      // One-shot flow: password and the next step's code in one request.
      clock.advance(30);
      const oneShotCode = totp(secret, clock.now());
      const oneShot = expectTokens(
        await call('POST', '/auth/login', { json: { email, password, twoFactorCode: oneShotCode } }),
        ['pwd', 'otp', 'mfa'],
      );
      // The same code twice: refused (its step is used up), in either flow.
      const replay = await call('POST', '/auth/login', { json: { email, password, twoFactorCode: oneShotCode } });
      expectError(replay, 401, 'invalid_two_factor');
      const replayChallenge = (await call('POST', '/auth/login', { json: { email, password } })).body.challenge;
      const replayTwoStep = await call('POST', '/auth/login/two-factor', {
        json: { challenge: replayChallenge, code: oneShotCode },
      });
      expectError(replayTwoStep, 401, 'invalid_two_factor');

      // New recovery codes need a current second factor (x-otp) too, even from the session that just
      // signed in with one; the password is no proof once a factor is on.
      const noProof = await call('PUT', '/auth/account/recovery-codes', { token: oneShot.accessToken, json: { password } });
      expectError(noProof, 400, 'validation_failed');
      expect(noProof.body.error.details).toEqual([{ path: 'x-otp', message: 'is required' }]);

      // A recovery code works once (one-shot form), then is refused.
      const withRecovery = expectTokens(
        await call('POST', '/auth/login', { json: { email, password, twoFactorRecoveryCode: recoveryCodes[0] } }),
        ['pwd', 'otp', 'mfa'],
      );
      expect(withRecovery.account.twoFactor.recoveryCodesRemaining).toBe(9);
      const recoveryAgain = await call('POST', '/auth/login', {
        json: { email, password, twoFactorRecoveryCode: recoveryCodes[0] },
      });
      expectError(recoveryAgain, 401, 'invalid_two_factor');

      // SMS: add a phone (202, empty), read the code at GET /dev/sms, verify the phone with it.
      const addPhone = await call('POST', '/auth/account/phone', { token: access, json: { phone: PHONE } });
      expect({ status: addPhone.status, text: addPhone.text }).toEqual({ status: 202, text: '' });
      const texts = await call('GET', '/dev/sms');
      expect(texts.status).toBe(200);
      expect(texts.headers.get('cache-control')).toBe('no-store');
      const sent = texts.body as SmsOutboxEntry[];
      expect(sent).toEqual([
        {
          to: PHONE,
          text: expect.stringMatching(/^Your latchkey demo code is \d{6}\. It expires in 10 minutes\.$/),
          sentAt: clock.now().toISOString(),
        },
      ]);
      const smsCode = /\b(\d{6})\b/.exec(sent[0]!.text)![1]!;
      const unverified = (await call('GET', '/auth/account', { token: access })).body;
      expect(unverified.phone).toEqual({ number: PHONE_SHOWN, verified: false, verifiedAt: null });
      // Enabling SMS on an account with TOTP is proven with a current TOTP code (x-otp).
      clock.advance(30);
      const stepUp = { 'x-otp': totp(secret, clock.now()) };
      const wrongSms = String((Number(smsCode) + 1) % 1_000_000).padStart(6, '0');
      expectError(
        await call('POST', '/auth/account/otp/verify', {
          token: access,
          headers: stepUp,
          json: { channel: 'sms', code: wrongSms },
        }),
        401,
        'invalid_two_factor',
      );
      const verified = await call('POST', '/auth/account/otp/verify', {
        token: access,
        headers: stepUp,
        json: { channel: 'sms', code: smsCode },
      });
      expect(verified.status, verified.text).toBe(200);
      expect(verified.body.phone).toEqual({ number: PHONE_SHOWN, verified: true, verifiedAt: clock.now().toISOString() });
      expect(verified.body.twoFactor).toEqual({ enabled: true, methods: ['totp', 'sms'], recoveryCodesRemaining: 9 });
      expect(JSON.stringify(verified.body)).not.toContain('7400123456');

      // A challenge earned before the panic must not survive it.
      const beforePanic = await call('POST', '/auth/login', { json: { email, password } });
      expect(beforePanic.body.methods).toEqual(['totp', 'sms']);

      // Panic, from one of the four live sessions: 204, and every token of the account is dead.
      const sessions = await call('GET', '/auth/account/sessions', { token: access });
      expect(sessions.body.data).toHaveLength(4);
      const panic = await call('PUT', '/auth/account/panic', { token: oneShot.accessToken });
      expect({ status: panic.status, text: panic.text }).toEqual({ status: 204, text: '' });
      for (const tokens of [first, twoStep, oneShot, withRecovery]) {
        const me = await call('GET', '/auth/account', { token: tokens.accessToken });
        expectError(me, 401, 'unauthenticated');
        expect(me.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect((await call('GET', '/api/me', { token: tokens.accessToken })).status).toBe(401);
        const refreshed = await call('POST', '/auth/token/refresh', { json: { refreshToken: tokens.refreshToken } });
        expectError(refreshed, 401, 'unauthenticated');
      }

      // Locked: a correct password answers 423 account_locked (with or without a code); a wrong one
      // still 401 invalid_credentials; the earlier challenge 423 too.
      clock.advance(30);
      expectError(await call('POST', '/auth/login', { json: { email, password } }), 423, 'account_locked');
      const lockedWithCode = await call('POST', '/auth/login', {
        json: { email, password, twoFactorCode: totp(secret, clock.now()) },
      });
      expectError(lockedWithCode, 423, 'account_locked');
      expectError(
        await call('POST', '/auth/login', { json: { email, password: `${password}!` } }),
        401,
        'invalid_credentials',
      );
      const lateChallenge = await call('POST', '/auth/login/two-factor', {
        json: { challenge: beforePanic.body.challenge, code: totp(secret, clock.now()) },
      });
      expectError(lateChallenge, 423, 'account_locked');
      expect((example.outbox?.messages ?? []).some((m) => m.to === email && m.kind === 'account-locked')).toBe(true);

      // Unlock with a recovery code and a new password: 200 tokens (amr otp), account active again.
      expectError(
        await call('POST', '/auth/account/unlock', { json: { email, recoveryCode: recoveryCodes[0], newPassword } }),
        401,
        'invalid_credentials',
      );
      clock.advance(1);
      const unlocked = expectTokens(
        await call('POST', '/auth/account/unlock', { json: { email, recoveryCode: recoveryCodes[1], newPassword } }),
        ['otp'],
      );
      expect(unlocked.account).toMatchObject({
        state: { status: 'active', reason: null },
        twoFactor: { enabled: true, methods: ['totp', 'sms'], recoveryCodesRemaining: 8 },
      });
      expect((await call('GET', '/auth/account', { token: unlocked.accessToken })).status).toBe(200);
      const unlockAgain = await call('POST', '/auth/account/unlock', {
        json: { email, recoveryCode: recoveryCodes[2], newPassword },
      });
      expectError(unlockAgain, 401, 'invalid_credentials'); // no longer panic-locked

      // The old password is refused; the new one works, with the second factor: TOTP …
      expectError(await call('POST', '/auth/login', { json: { email, password } }), 401, 'invalid_credentials');
      clock.advance(30);
      const again = await call('POST', '/auth/login', { json: { email, password: newPassword } });
      expectError(again, 401, 'two_factor_required');
      expect(again.body.methods).toEqual(['totp', 'sms']);
      const afterUnlock = expectTokens(
        await call('POST', '/auth/login/two-factor', {
          json: { challenge: again.body.challenge, code: totp(secret, clock.now()) },
        }),
        ['pwd', 'otp', 'mfa'],
      );

      // … or an SMS code asked for with the challenge (202), read at /dev/sms (amr sms).
      const bySms = await call('POST', '/auth/login', { json: { email, password: newPassword } });
      const asked = await call('POST', '/auth/login/two-factor', {
        json: { challenge: bySms.body.challenge, method: 'sms' },
      });
      expect({ status: asked.status, text: asked.text }).toEqual({ status: 202, text: '' });
      const latest = ((await call('GET', '/dev/sms')).body as SmsOutboxEntry[]).at(-1)!;
      expect(latest.to).toBe(PHONE);
      const loginSmsCode = /\b(\d{6})\b/.exec(latest.text)![1]!;
      expect(loginSmsCode).not.toBe(smsCode);
      expectTokens(
        await call('POST', '/auth/login/two-factor', {
          json: { challenge: bySms.body.challenge, method: 'sms', code: loginSmsCode },
        }),
        ['pwd', 'sms', 'mfa'],
      );

      // The login history shows all of it, refusals with their reasons. (Entries made at one tick of the
      // hand-moved clock have no order among themselves, so the comparison is of sorted lists.)
      const logins = await call('GET', '/auth/account/logins?limit=100', { token: afterUnlock.accessToken });
      const history = (logins.body.data as Array<{ success: boolean; method: string; failureReason: string | null }>)
        .map((l) => `${l.method}:${l.failureReason ?? 'ok'}`)
        .sort();
      const expected = [
        'password:ok', // the first login, before TOTP
        'password:two_factor_required',
        'password:ok', // challenge flow
        'password:ok', // one-shot TOTP
        'password:invalid_two_factor', // the same code again
        'password:two_factor_required',
        'password:invalid_two_factor', // the same code through the challenge
        'password:ok', // recovery code
        'password:invalid_two_factor', // the same recovery code again
        'password:two_factor_required', // the challenge taken before the panic
        'password:account_locked',
        'password:account_locked',
        'password:invalid_credentials',
        'password:account_locked', // the challenge after the panic
        'unlock:invalid_two_factor', // a used recovery code
        'unlock:ok',
        'unlock:invalid_credentials', // not locked any more
        'password:invalid_credentials', // the old password
        'password:two_factor_required',
        'password:ok',
        'password:two_factor_required',
        'password:ok', // by SMS
      ];
      expect(history).toEqual(expected.sort());
    } finally {
      await app.close();
    }
  });

  it('serves no GET /dev/sms when the app is created without the SMS outbox', async () => {
    const app = await listen(example, { outbox: example.outbox });
    try {
      const call = client(app.base);
      expect((await call('GET', '/dev/sms')).status).toBe(404);
      const index = await call('GET', '/api');
      expect(index.body.routes).not.toHaveProperty(['GET /dev/sms']);
      expect(index.body.routes).toHaveProperty(['GET /dev/outbox']);
    } finally {
      await app.close();
    }
  });
});

describe('examples: GET /dev/sms on every framework', () => {
  type Listen = (example: ExampleAuth, options: ExampleAppOptions) => Promise<Listening>;
  const frameworks: Array<{ name: string; listen: Listen }> = [
    { name: 'Hono', listen },
    {
      name: 'Express',
      async listen(example, options) {
        const app = createExpressApp(example.auth, options);
        const server = await new Promise<Server>((resolve) => {
          const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
        });
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
      },
    },
    {
      name: 'Fastify',
      async listen(example, options) {
        const app = await createFastifyApp(example.auth, options);
        await app.listen({ port: 0, host: '127.0.0.1' });
        return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
      },
    },
  ];

  for (const framework of frameworks) {
    it(`${framework.name}: the phone code is read at /dev/sms and verifies the phone; no SMS outbox → 404`, async () => {
      const example = await createExampleAuth({ env: { DATABASE_URL: 'memory:' }, logger: silentLogger, warn: () => {} });
      try {
        const served = await framework.listen(example, { outbox: example.outbox, sms: example.sms });
        try {
          const call = client(served.base);
          expect((await call('GET', '/api')).body.routes).toHaveProperty(['GET /dev/sms']);
          expect((await call('GET', '/dev/sms')).body).toEqual([]);
          const email = `grace.${randomBytes(4).toString('hex')}@example.com`;
          const password = 'a long enough passphrase';
          expect((await call('POST', '/auth/accounts', { json: { email, password } })).status).toBe(201);
          const { accessToken } = (await call('POST', '/auth/login', { json: { email, password } })).body;
          const added = await call('POST', '/auth/account/phone', {
            token: accessToken,
            json: { phone: '07400 123456', country: 'GB' },
          });
          expect(added.status, added.text).toBe(202);
          const texts = await call('GET', '/dev/sms');
          expect(texts.headers.get('cache-control')).toBe('no-store');
          expect(texts.body).toEqual([{ to: PHONE, text: expect.any(String), sentAt: expect.any(String) }]);
          const code = /\b(\d{6})\b/.exec(texts.body[0].text)![1]!;
          // The sign-in a moment ago is no proof: turning SMS codes on needs the password.
          const unproven = await call('POST', '/auth/account/otp/verify', { token: accessToken, json: { channel: 'sms', code } });
          expectError(unproven, 400, 'validation_failed');
          const verified = await call('POST', '/auth/account/otp/verify', {
            token: accessToken,
            json: { channel: 'sms', code, password },
          });
          expect(verified.status, verified.text).toBe(200);
          expect(verified.body.phone).toMatchObject({ number: PHONE_SHOWN, verified: true });
        } finally {
          await served.close();
        }
        const bare = await framework.listen(example, {});
        try {
          const call = client(bare.base);
          expect((await call('GET', '/dev/sms')).status).toBe(404);
          expect((await call('GET', '/api')).body.routes).not.toHaveProperty(['GET /dev/sms']);
        } finally {
          await bare.close();
        }
      } finally {
        await example.close();
      }
    });
  }
});
