import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLatchkeyClient, isLatchkeyClientError, memoryTokenStore, unwrap } from '../../src/client/index.js';
import { newEmail, PASSWORD, recordingFetch } from './support.js';

/**
 * `latchkey/client` against the running demo on each framework (`npx tsx examples/<framework>/server.ts`,
 * as `npm start`, `npm run start:express` and `npm run start:fastify` run it, on a free port in an
 * empty working directory): register, turn on an authenticator through the typed passthrough, log in
 * with it as the second factor, refresh, log out.
 */

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const MINUTE = 60_000;

interface RunningExample {
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts a demo server in its own process group and waits for its "listening on" line. */
async function startExample(framework: string, cwd: string): Promise<RunningExample> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0' };
  for (const name of ['DATABASE_URL', 'LATCHKEY_SECRET', 'SMTP_URL', 'PUBLIC_URL', 'GROUPS']) delete env[name];
  const child: ChildProcess = spawn(tsx, [join(root, 'examples', framework, 'server.ts')], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  let log = '';
  const port = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${framework}: not listening after 45 s:\n${log}`)), 45_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /listening on http:\/\/\S+:(\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${framework}: exited (${code}) before listening:\n${log}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { baseUrl: `http://127.0.0.1:${port}/auth`, stop };
}

describe.each(['hono', 'express', 'fastify'])('latchkey/client against examples/%s/server.ts', (framework) => {
  let dir: string;
  let example: RunningExample;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `latchkey-client-${framework}-`));
    example = await startExample(framework, dir);
  }, MINUTE);

  afterAll(async () => {
    await example?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers, logs in with a second factor, refreshes and logs out', { timeout: MINUTE }, async () => {
    const wire = recordingFetch();
    const store = memoryTokenStore();
    const client = createLatchkeyClient({ baseUrl: example.baseUrl, fetch: wire.fetch, tokenStore: store });
    const email = newEmail();

    expect((await client.register({ email, password: PASSWORD, name: { first: 'Ada' } })).email.address).toBe(email);
    expect(await client.login({ email, password: PASSWORD })).toMatchObject({ status: 'signed_in', account: { email: { address: email } } });

    // An authenticator, through the typed passthrough.
    const { secret } = unwrap(await client.POST('/account/two-factor/totp'));
    const now = () => Math.floor(Date.now() / 1000);
    unwrap(await client.POST('/account/two-factor/totp/verify', { body: { code: await generate({ secret, epoch: now() }), password: PASSWORD } }));
    await client.logout();
    expect(await store.get()).toBeNull();

    const first = await client.login({ email, password: PASSWORD });
    if (first.status !== 'two_factor_required') throw new Error(`expected two_factor_required, got ${first.status}`);
    expect(first.methods).toEqual(['totp']);
    // The enrolment spent the current step's code: the next step's (the server takes one step either way).
    const signedIn = await client.completeTwoFactorLogin({ challenge: first.challenge, code: await generate({ secret, epoch: now() + 30 }) });
    expect(signedIn.account.twoFactor).toMatchObject({ enabled: true, methods: ['totp'] });

    const before = (await store.get())!;
    await client.refresh();
    const after = (await store.get())!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(wire.answered('/auth/token/refresh', 200)).toBe(1);
    expect((await client.account()).email.address).toBe(email);
    const sessions = unwrap(await client.GET('/account/sessions'));
    expect(sessions.data.filter((s) => s.current)).toHaveLength(1);

    await client.logout();
    expect(await store.get()).toBeNull();
    expect(wire.answered('/auth/logout', 204)).toBe(2);
    const error = await client.account().catch((e: unknown) => e);
    expect(isLatchkeyClientError(error, 'unauthenticated')).toBe(true);
    // The session is gone on the server too: its last refresh token no longer works.
    const replay = await fetch(`${example.baseUrl}/token/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: after.refreshToken }),
    });
    expect(replay.status).toBe(401);
  });
});
