import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp as createExpressApp } from '../../examples/express/app.js';
import { createApp as createFastifyApp } from '../../examples/fastify/app.js';
import { createApp as createHonoApp } from '../../examples/hono/app.js';
import { createExampleAuth, type ExampleAppOptions, type ExampleAuth } from '../../examples/shared/config.js';
import type { OutboxEntry } from '../../examples/shared/mailer.js';
import { silentLogger } from '../../src/adapters/index.js';
import type { Auth } from '../../src/index.js';

/**
 * The done-when scenario, walked over real HTTP against the demo app as `npm start` builds it
 * (createExampleAuth: outbox mailer, `GET /dev/outbox`), reading every mail the way a developer would:
 * register → verification mail (its link carries the token in the fragment) → verify, which ends the
 * session opened before it → forgot → reset with the mailed token → old tokens refused →
 * login with the new password → change password → login history → delete → login refused.
 * The same walk runs on each framework's app.
 */

interface Listening {
  base: string;
  close(): Promise<void>;
}

type Serve = (auth: Auth, options?: ExampleAppOptions) => Promise<Listening>;

const frameworks: Array<{ name: string; storage: 'sqlite' | 'memory'; serve: Serve }> = [
  {
    name: 'Hono',
    storage: 'sqlite', // what `npm start` uses by default
    async serve(auth, options) {
      const app = createHonoApp(auth, options);
      let server!: ReturnType<typeof serve>;
      const base = await new Promise<string>((resolve) => {
        server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
          resolve(`http://127.0.0.1:${info.port}`),
        );
      });
      return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
  },
  {
    name: 'Express',
    storage: 'memory',
    async serve(auth, options) {
      const app = createExpressApp(auth, options);
      const server = await new Promise<Server>((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
  },
  {
    name: 'Fastify',
    storage: 'memory',
    async serve(auth, options) {
      const app = await createFastifyApp(auth, options);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      return { base, close: () => app.close() };
    },
  },
];

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

function client(base: string) {
  return async function call(method: string, path: string, init: { json?: unknown; token?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const body = init.json === undefined ? undefined : JSON.stringify(init.json);
    const response = await fetch(base + path, { method, headers, body });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, text, body: json };
  };
}

/** The one-time token on the `Token: …` line of a mail's text part. */
function tokenIn(mail: OutboxEntry): string {
  const token = /^Token: ([A-Za-z0-9_-]{43})$/m.exec(mail.text)?.[1];
  if (!token) throw new Error(`no token in the mail "${mail.subject}"`);
  return token;
}

/**
 * The mail's link to the web app carries the same token, in the URL's fragment (never sent to a
 * server, so never in its logs or a Referer header), and nowhere in a query string.
 */
function expectFragmentLink(mail: OutboxEntry, page: '/verify-email' | '/reset-password'): void {
  const token = tokenIn(mail);
  const link = `http://localhost:3000${page}#token=${token}`;
  expect(mail.text).toContain(link);
  expect(mail.html).toContain(`href="${link}"`);
  expect(mail.text).not.toMatch(/[?&]token=/);
  expect(mail.html).not.toMatch(/[?&]token=/);
}

/** The walk itself, against any of the apps listening at `base` with an outbox. */
async function walkSelfService(base: string): Promise<void> {
  const call = client(base);
  const email = `ada.${randomBytes(4).toString('hex')}@example.com`;
  const original = 'correct horse battery staple';
  const reset = 'a fresh passphrase after the reset';
  const changed = 'and another one, changed while signed in';

  /** Polls `GET /dev/outbox` until the `nth` mail to `email` whose subject matches arrives (mails go out after the answer). */
  async function waitForMail(subject: RegExp, nth = 1): Promise<OutboxEntry> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const outbox = await call('GET', '/dev/outbox');
      expect(outbox.status).toBe(200);
      expect(outbox.headers.get('cache-control')).toBe('no-store');
      const mails = (outbox.body as OutboxEntry[]).filter((m) => m.to === email && subject.test(m.subject));
      if (mails.length >= nth) return mails[nth - 1]!;
      if (Date.now() > deadline) throw new Error(`no mail ${subject} (#${nth}) to ${email} in /dev/outbox`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  // Register: 201, unverified, and a verification mail in the outbox.
  const registered = await call('POST', '/auth/accounts', { json: { email, password: original, name: { first: 'Ada' } } });
  expect(registered.status).toBe(201);
  expect(registered.body).toMatchObject({ email: { address: email, verified: false }, name: { first: 'Ada' } });
  const verification = await waitForMail(/^Confirm your email address for latchkey demo$/);
  expect(Object.keys(verification).sort()).toEqual(['html', 'sentAt', 'subject', 'text', 'to']);
  expect(new Date(verification.sentAt).toISOString()).toBe(verification.sentAt);
  const verificationToken = tokenIn(verification);
  expect(verification.html).toContain(verificationToken);
  expectFragmentLink(verification, '/verify-email');

  // A session opened before the address is proven (whoever registered it may not own it) …
  const unproven = await call('POST', '/auth/login', { json: { email, password: original } });
  expect(unproven.status).toBe(200);
  expect(unproven.body.account.email.verified).toBe(false);

  // Verify: 200 with the account, verified; the token works once.
  const verified = await call('POST', '/auth/email/verify', { json: { token: verificationToken } });
  expect(verified.status).toBe(200);
  expect(verified.body).toMatchObject({ id: registered.body.id, email: { address: email, verified: true } });
  expect(typeof verified.body.email.verifiedAt).toBe('string');
  const again = await call('POST', '/auth/email/verify', { json: { token: verificationToken } });
  expect(again.status).toBe(400);
  expect(again.body.error.code).toBe('invalid_token');

  // … ends with the verification: its access and refresh tokens are refused, so the web app signs in again.
  expect((await call('GET', '/auth/account', { token: unproven.body.accessToken })).status).toBe(401);
  const unprovenRefresh = await call('POST', '/auth/token/refresh', { json: { refreshToken: unproven.body.refreshToken } });
  expect(unprovenRefresh.status).toBe(401);

  // Log in: the tokens the reset will end.
  const before = await call('POST', '/auth/login', { json: { email, password: original } });
  expect(before.status).toBe(200);
  expect(before.body.account.email.verified).toBe(true);

  // Forgot: 202 with an empty body; the reset mail follows.
  const forgot = await call('POST', '/auth/password/forgot', { json: { email } });
  expect(forgot.status).toBe(202);
  expect(forgot.text).toBe('');
  const resetMail = await waitForMail(/^Reset your latchkey demo password$/);
  expectFragmentLink(resetMail, '/reset-password');
  const resetToken = tokenIn(resetMail);

  // Reset with the mailed token: 200 { success: true }; the token works once.
  const resetAnswer = await call('POST', '/auth/password/reset', { json: { token: resetToken, password: reset } });
  expect(resetAnswer.status).toBe(200);
  expect(resetAnswer.body).toEqual({ success: true });
  const resetAgain = await call('POST', '/auth/password/reset', { json: { token: resetToken, password: reset } });
  expect(resetAgain.status).toBe(400);
  expect(resetAgain.body.error.code).toBe('invalid_token');
  await waitForMail(/^Your latchkey demo password was changed$/);

  // The reset ended every session: the old access and refresh tokens are refused.
  const oldAccess = await call('GET', '/auth/account', { token: before.body.accessToken });
  expect(oldAccess.status).toBe(401);
  expect(oldAccess.body.error.code).toBe('unauthenticated');
  const oldRefresh = await call('POST', '/auth/token/refresh', { json: { refreshToken: before.body.refreshToken } });
  expect(oldRefresh.status).toBe(401);
  expect(oldRefresh.body.error.code).toBe('unauthenticated');

  // The old password is refused, the new one works.
  const withOld = await call('POST', '/auth/login', { json: { email, password: original } });
  expect(withOld.status).toBe(401);
  expect(withOld.body.error.code).toBe('invalid_credentials');
  const afterReset = await call('POST', '/auth/login', { json: { email, password: reset } });
  expect(afterReset.status).toBe(200);
  const access = afterReset.body.accessToken as string;

  // Change the password while signed in: 200 with the account; this session stays.
  const change = await call('POST', '/auth/account/password', { token: access, json: { current: reset, new: changed } });
  expect(change.status).toBe(200);
  expect(change.body).toMatchObject({ id: registered.body.id, email: { address: email } });
  expect((await call('GET', '/auth/account', { token: access })).status).toBe(200);
  await waitForMail(/^Your latchkey demo password was changed$/, 2);

  // One more failure (the password before the change) and one more success.
  const stale = await call('POST', '/auth/login', { json: { email, password: reset } });
  expect(stale.status).toBe(401);
  expect(stale.body.error.code).toBe('invalid_credentials');
  const latest = await call('POST', '/auth/login', { json: { email, password: changed } });
  expect(latest.status).toBe(200);

  // Login history: newest first, failures included.
  const logins = await call('GET', '/auth/account/logins', { token: access });
  expect(logins.status).toBe(200);
  expect(logins.body.nextCursor).toBeNull();
  const history = logins.body.data as Array<{ time: string; success: boolean; failureReason: string | null; method: string }>;
  expect(history.map((l) => [l.success, l.failureReason])).toEqual([
    [true, null],
    [false, 'invalid_credentials'],
    [true, null],
    [false, 'invalid_credentials'],
    [true, null],
    [true, null], // before the verification
  ]);
  expect(history.every((l) => l.method === 'password')).toBe(true);
  const times = history.map((l) => l.time);
  expect([...times].sort().reverse()).toEqual(times);

  // … paginated with the cursor, and the query is validated.
  const page1 = await call('GET', '/auth/account/logins?limit=2', { token: access });
  expect(page1.body.data).toEqual(history.slice(0, 2));
  expect(typeof page1.body.nextCursor).toBe('string');
  const page2 = await call('GET', `/auth/account/logins?limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`, {
    token: access,
  });
  expect(page2.body.data).toEqual(history.slice(2, 4));
  const badLimit = await call('GET', '/auth/account/logins?limit=0', { token: access });
  expect(badLimit.status).toBe(400);
  expect(badLimit.body.error.code).toBe('validation_failed');

  // Delete with the password: 202 with the job; the account is gone from the login form.
  const deleted = await call('DELETE', '/auth/account', { token: access, json: { password: changed } });
  expect(deleted.status).toBe(202);
  expect(deleted.body).toMatchObject({ action: 'delete', job: { accepted: true, queue: 'account-purge' } });
  expect(deleted.body.job.id).toMatch(/^job_/);
  expect(Date.parse(deleted.body.job.schedule)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  expect(deleted.body.job.tasks.map((t: { caption: string }) => t.caption)).toEqual(['Revoke sessions', 'Purge personal data']);
  await waitForMail(/^Your latchkey demo account was deleted$/);

  const refused = await call('POST', '/auth/login', { json: { email, password: changed } });
  expect(refused.status).toBe(401);
  expect(refused.body.error.code).toBe('invalid_credentials');
  expect((await call('GET', '/auth/account', { token: latest.body.accessToken })).status).toBe(401);

  // The outbox lists the mails oldest first, so the newest is last.
  const outbox = (await call('GET', '/dev/outbox')).body as OutboxEntry[];
  const sentAt = outbox.map((m) => m.sentAt);
  expect([...sentAt].sort()).toEqual(sentAt);
  expect(outbox.at(-1)!.subject).toBe('Your latchkey demo account was deleted');
}

for (const { name, storage, serve } of frameworks) {
  describe(`examples/${name}: account self-service over HTTP, mails read at GET /dev/outbox`, () => {
    let dir: string;
    let example: ExampleAuth;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'latchkey-self-service-'));
      const env = storage === 'sqlite' ? { DATABASE_URL: `sqlite:${join(dir, 'latchkey.sqlite')}` } : { DATABASE_URL: 'memory:' };
      example = await createExampleAuth({ env, dataDir: join(dir, 'data'), secretDir: join(dir, '.latchkey'), logger: silentLogger, warn: () => {} });
    });

    afterAll(async () => {
      await example?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it(`walks register → verify → forgot → reset → change password → login history → delete (${storage})`, async () => {
      expect(example.outbox).not.toBeNull();
      const app = await serve(example.auth, { outbox: example.outbox });
      try {
        const index = await client(app.base)('GET', '/api');
        expect(index.body.routes).toHaveProperty(['GET /dev/outbox']);
        await walkSelfService(app.base);
      } finally {
        await app.close();
      }
    });

    it(`serves no GET /dev/outbox when ${name}'s app is created without an outbox`, async () => {
      const app = await serve(example.auth);
      try {
        const call = client(app.base);
        expect((await call('GET', '/dev/outbox')).status).toBe(404);
        const index = await call('GET', '/api');
        expect(index.body.routes).not.toHaveProperty(['GET /dev/outbox']);
        expect(index.body.routes).toHaveProperty(['POST /auth/password/forgot']);
      } finally {
        await app.close();
      }
    });
  });
}

describe('examples: the mailer comes from the environment', () => {
  it('SMTP_URL switches the outbox off', async () => {
    const warnings: string[] = [];
    const example = await createExampleAuth({
      env: { DATABASE_URL: 'memory:', SMTP_URL: 'smtp://demo:s3cret@127.0.0.1:2525' },
      logger: silentLogger,
      warn: (line) => warnings.push(line),
    });
    try {
      expect(example.outbox).toBeNull();
      expect(warnings.join('\n')).toContain('[example] mail: SMTP via smtp://demo:***@127.0.0.1:2525');
      expect(warnings.join('\n')).not.toContain('s3cret');
    } finally {
      await example.close();
    }
  });
});
