import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExampleStartError } from '../../examples/shared/mode.js';
import { exampleWebhooks } from '../../examples/shared/webhook-subscription.js';

/**
 * `WEBHOOK_URL` subscribes an endpoint when the demo starts (`npx tsx examples/<framework>/server.ts`,
 * as `npm start` runs it): the first start prints one line on stdout with the endpoint and its signing
 * secret, with which a receiver verifies the `account.created` of a registration (the `standardwebhooks`
 * package); a restart on the same data says it is already subscribed, without the secret, and makes
 * no second endpoint. A URL the demo's sender refuses (loopback in production without
 * `WEBHOOK_ALLOW_PRIVATE=1`, a private address, no URL at all) stops the start with one line.
 */

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);
const password = 'correct horse battery staple';

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

let dir: string;
let receiver: Server;
let hookUrl = '';
const received: Received[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-webhook-url-'));
  receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ body, headers: request.headers });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/latchkey`;
});

afterAll(async () => {
  await new Promise<void>((done) => receiver?.close(() => done()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Demo {
  api: string;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** The environment of a child demo: the test's, minus what would change how the demo runs. */
function demoEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0' };
  for (const name of ['DATABASE_URL', 'LATCHKEY_SECRET', 'SMTP_URL', 'PUBLIC_URL', 'GROUPS', 'WEBHOOK_URL', 'WEBHOOK_ALLOW_PRIVATE']) delete childEnv[name];
  return { ...childEnv, ...env };
}

/** Starts a demo server in `cwd`, in its own process group, and waits for its "listening" line. */
async function startDemo(cwd: string, env: NodeJS.ProcessEnv, framework = 'hono'): Promise<Demo> {
  const child: ChildProcess = spawn(tsx, [join(root, 'examples', framework, 'server.ts')], {
    cwd,
    env: demoEnv(env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<string>((done, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start within 25 s:\n${stdout}${stderr}`)), 25_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const listening = /listening on http:\/\/\S+:(\d+)/.exec(stdout);
      if (listening) {
        clearTimeout(timer);
        done(listening[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}) before listening:\n${stdout}${stderr}`));
    });
  });
  return {
    api: `http://127.0.0.1:${port}`,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      process.kill(-child.pid!, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a demo server that must not start to its exit. */
async function startRefused(cwd: string, env: NodeJS.ProcessEnv, framework = 'hono') {
  const child = spawn(tsx, [join(root, 'examples', framework, 'server.ts')], { cwd, env: demoEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

async function call(api: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(api + path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** The `account.created` delivered for `email`, once it has come. */
async function accountCreated(email: string): Promise<Received> {
  let found: Received | undefined;
  await expect
    .poll(
      () => {
        found = received.find(({ body }) => body.includes('"account.created"') && body.includes(email));
        return found !== undefined;
      },
      { timeout: 15_000, interval: 100 },
    )
    .toBe(true);
  return found!;
}

describe('examples: WEBHOOK_URL subscribes an endpoint at start-up', () => {
  it('prints the secret once, the receiver verifies account.created with it, and a restart makes no second endpoint', async () => {
    const cwd = join(dir, 'subscribed');
    await mkdir(cwd);
    const env = { WEBHOOK_URL: hookUrl, WEBHOOK_ALLOW_PRIVATE: '1' };
    const tag = randomBytes(4).toString('hex');
    const ada = `ada.${tag}@example.com`;

    const first = await startDemo(cwd, env);
    let secret = '';
    let endpointId = '';
    try {
      const lines = first.stdout().trim().split('\n').filter((line) => line.includes('WEBHOOK_URL'));
      expect(lines, first.stdout()).toHaveLength(1);
      const line = /^\[example\] webhooks: subscribed WEBHOOK_URL as (whe_\w+) to every event\. Its signing secret, shown this once only: (whsec_\S+)$/.exec(lines[0]!);
      expect(line, lines[0]).not.toBeNull();
      [, endpointId, secret] = line as unknown as [string, string, string];
      expect(first.stdout().match(/whsec_/g)).toHaveLength(1);
      expect(first.stderr()).not.toContain(secret);
      expect(first.stderr()).toContain('[example] webhooks: delivered from this process, to loopback and private networks too (WEBHOOK_ALLOW_PRIVATE=1');

      expect((await call(first.api, 'POST', '/auth/accounts', { email: ada, password })).status).toBe(201);
      const delivery = await accountCreated(ada);
      const event = new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>) as { event: string; group: string };
      expect(event).toMatchObject({ event: 'account.created', group: 'default' });
      expect(() => new Webhook(`whsec_${randomBytes(24).toString('base64')}`).verify(delivery.body, delivery.headers as Record<string, string>)).toThrow();
    } finally {
      await first.stop();
    }

    const second = await startDemo(cwd, env);
    try {
      expect(second.stdout()).toContain(`[example] webhooks: WEBHOOK_URL is already subscribed as ${endpointId}. Its secret was shown when it was subscribed`);
      expect(second.stdout()).not.toContain('whsec_');
      expect(second.stderr()).not.toContain('whsec_');

      // Still the one endpoint, as an administrator of the group sees it.
      const grace = `grace.${tag}@example.com`;
      expect((await call(second.api, 'POST', '/auth/accounts', { email: grace, password })).status).toBe(201);
      const database = `sqlite:${join(cwd, 'data', 'latchkey.sqlite')}`;
      await run(process.execPath, ['bin/latchkey.mjs', 'grant-role', '--url', database, '--email', grace, '--role', 'admin'], { cwd: root });
      const login = await call(second.api, 'POST', '/auth/login', { email: grace, password });
      expect(login.status).toBe(200);
      const endpoints = await call(second.api, 'GET', '/auth/webhooks', undefined, login.json.accessToken);
      expect(endpoints.status).toBe(200);
      expect(endpoints.json.data.map((endpoint: { id: string; url: string }) => [endpoint.id, endpoint.url])).toEqual([[endpointId, hookUrl]]);

      // The secret printed by the first start still signs: it was neither rotated nor replaced.
      const delivery = await accountCreated(grace);
      expect(new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>)).toMatchObject({ event: 'account.created' });
    } finally {
      await second.stop();
    }
  }, 90_000);
});

describe('examples: a WEBHOOK_URL the demo refuses stops the start with one line', () => {
  /** Exit 1, nothing on stdout, one `[example]` line on stderr without a stack, nothing written. */
  async function expectRefused(env: NodeJS.ProcessEnv, framework = 'hono'): Promise<string> {
    const cwd = join(dir, `refused-${randomBytes(4).toString('hex')}`);
    await mkdir(cwd);
    const exit = await startRefused(cwd, env, framework);
    expect(exit.code, exit.stderr).toBe(1);
    expect(exit.stdout).toBe('');
    const lines = exit.stderr.trim().split('\n');
    expect(lines, exit.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[example\] /);
    expect(await readdir(cwd)).toEqual([]);
    return lines[0]!.slice('[example] '.length);
  }

  const production = () => ({ NODE_ENV: 'production', LATCHKEY_SECRET: randomBytes(32).toString('base64url') });

  it.each(['hono', 'express', 'fastify'])('%s: a loopback receiver in production without WEBHOOK_ALLOW_PRIVATE', async (framework) => {
    const line = await expectRefused({ ...production(), WEBHOOK_URL: 'https://127.0.0.1:8443/hook' }, framework);
    expect(line).toBe(
      'WEBHOOK_URL https://127.0.0.1:8443/hook is refused: the host is a loopback address (set WEBHOOK_ALLOW_PRIVATE=1 for a receiver on this machine or a private network).',
    );
  }, 60_000);

  it('a private address in development without WEBHOOK_ALLOW_PRIVATE, plain http in production, and no URL at all', async () => {
    expect(await expectRefused({ WEBHOOK_URL: 'http://10.1.2.3/hook' })).toBe(
      'WEBHOOK_URL http://10.1.2.3/hook is refused: the host is a private address (set WEBHOOK_ALLOW_PRIVATE=1 for a receiver on this machine or a private network).',
    );
    expect(await expectRefused({ ...production(), WEBHOOK_URL: hookUrl, WEBHOOK_ALLOW_PRIVATE: '1' })).toBe(
      `WEBHOOK_URL ${hookUrl} is refused: https is required in production (NODE_ENV=production runs the demo in production: give the receiver an https URL).`,
    );
    expect(await expectRefused({ WEBHOOK_URL: 'hooks.example.com/latchkey' })).toBe(
      "WEBHOOK_URL must be the receiver's URL (https://hooks.example.com/latchkey), got hooks.example.com/latchkey.",
    );
  }, 90_000);
});

describe('examples: exampleWebhooks, the policy behind it', () => {
  it('development allows this machine; WEBHOOK_ALLOW_PRIVATE=1 adds the private networks, never metadata or link-local', () => {
    const development = exampleWebhooks({}, 'development').sender;
    expect(development.check('http://localhost:4000/hook').ok).toBe(true);
    expect(development.check('http://192.168.1.20/hook').ok).toBe(false);
    const allowed = exampleWebhooks({ WEBHOOK_ALLOW_PRIVATE: '1' }, 'development').sender;
    for (const url of ['http://127.0.0.1/h', 'http://[::1]/h', 'http://10.0.0.5/h', 'http://172.20.0.5/h', 'http://192.168.1.20/h']) {
      expect(allowed.check(url).ok, url).toBe(true);
    }
    for (const url of ['http://169.254.169.254/latest', 'http://[fd00:ec2::254]/', 'http://100.100.100.200/', 'http://169.254.10.1/']) {
      expect(allowed.check(url).ok, url).toBe(false);
    }
  });

  it('production: public https only, unless allowed; still https when allowed', () => {
    const production = exampleWebhooks({}, 'production').sender;
    expect(production.check('https://hooks.example.com/latchkey').ok).toBe(true);
    expect(production.check('http://hooks.example.com/latchkey')).toEqual({ ok: false, reason: 'https is required in production' });
    expect(production.check('https://127.0.0.1/hook').ok).toBe(false);
    const allowed = exampleWebhooks({ WEBHOOK_ALLOW_PRIVATE: 'true' }, 'production').sender;
    expect(allowed.check('https://10.0.0.5/hook').ok).toBe(true);
    expect(allowed.check('http://10.0.0.5/hook').ok).toBe(false);
  });

  it('a WEBHOOK_ALLOW_PRIVATE that is neither on nor off is a start error', () => {
    expect(() => exampleWebhooks({ WEBHOOK_ALLOW_PRIVATE: 'yes' }, 'development')).toThrow(ExampleStartError);
    expect(exampleWebhooks({ WEBHOOK_ALLOW_PRIVATE: '0' }, 'development').url).toBeNull();
  });
});
