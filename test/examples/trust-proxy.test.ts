import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp as createExpressApp } from '../../examples/express/app.js';
import { createApp as createFastifyApp } from '../../examples/fastify/app.js';
import { createApp as createHonoApp } from '../../examples/hono/app.js';
import { createExampleAuth, type ExampleAppOptions } from '../../examples/shared/config.js';
import { ExampleStartError } from '../../examples/shared/mode.js';
import { exampleTrustProxy, expressTrustProxy, fastifyTrustProxy } from '../../examples/shared/trust-proxy.js';
import { silentLogger } from '../../src/adapters/index.js';
import type { Auth } from '../../src/index.js';

/**
 * `TRUST_PROXY`: the demo's client-address setting, parsed at start-up and handed to each framework in
 * its own form, so that the address latchkey records (login history) is the one X-Forwarded-For names
 * only when the socket is a trusted proxy.
 */

describe('exampleTrustProxy', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['  ', false],
    ['false', false],
    ['FALSE', false],
    ['0', false],
    ['true', true],
    [' True ', true],
    ['1', 1],
    ['3', 3],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 2001:db8::/32 ,::1', ['10.0.0.0/8', '2001:db8::/32', '::1']],
    ['127.0.0.0/8', ['127.0.0.0/8']],
  ])('TRUST_PROXY=%j → %j', (value, expected) => {
    const { trustProxy, description } = exampleTrustProxy(value === undefined ? {} : { TRUST_PROXY: value });
    expect(trustProxy).toEqual(expected);
    expect(description).toMatch(/X-Forwarded-For/);
  });

  it.each([
    ['yes', /"yes" is not an IP address or CIDR/],
    ['-1', /"-1" is not an IP address or CIDR/],
    ['1.5', /"1\.5" is not an IP address or CIDR/],
    ['10.0.0.0/33', /"10\.0\.0\.0\/33" is not an IP address or CIDR/],
    ['10.0.0.1,proxy.internal', /"proxy\.internal" is not an IP address or CIDR/],
    ['10.0.0.1,', /has an empty entry/],
    ['99999999999999999999', /is not a number of hops/],
  ])('TRUST_PROXY=%j stops the start', (value, reason) => {
    let error: unknown;
    try {
      exampleTrustProxy({ TRUST_PROXY: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ExampleStartError);
    const message = (error as Error).message;
    expect(message).toMatch(/^TRUST_PROXY must be true \(one proxy\), a number of proxy hops, or a comma-separated list/);
    expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
  });

  it('Express and Fastify get latchkey’s meaning: true is one hop, not every hop', () => {
    expect(expressTrustProxy(undefined)).toBe(false);
    expect(expressTrustProxy(false)).toBe(false);
    expect(expressTrustProxy(true)).toBe(1);
    expect(expressTrustProxy(2)).toBe(2);
    expect(expressTrustProxy(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
    expect(fastifyTrustProxy(false)).toBe(false);
    expect(fastifyTrustProxy(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
    const oneHop = fastifyTrustProxy(true) as (address: string, hop: number) => boolean;
    expect([oneHop('127.0.0.1', 0), oneHop('203.0.113.9', 1)]).toEqual([true, false]);
  });

  it('createExampleAuth says which setting is in force, and returns it', async () => {
    const warnings: string[] = [];
    const example = await createExampleAuth({
      env: { DATABASE_URL: 'memory:', TRUST_PROXY: '10.0.0.0/8,::1' },
      logger: silentLogger,
      warn: (line) => warnings.push(line),
    });
    try {
      expect(example.trustProxy).toEqual(['10.0.0.0/8', '::1']);
      expect(warnings.filter((line) => line.startsWith('[example] client address: '))).toEqual([
        "[example] client address: from X-Forwarded-For through the trusted proxies 10.0.0.0/8, ::1; the socket's address otherwise (TRUST_PROXY)",
      ]);
    } finally {
      await example.close();
    }
  });

  it('createExampleAuth refuses a bad TRUST_PROXY before anything is opened or written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'latchkey-trust-proxy-'));
    try {
      await expect(
        createExampleAuth({ env: { TRUST_PROXY: 'everyone' }, dataDir: join(dir, 'data'), secretDir: join(dir, '.latchkey'), logger: silentLogger, warn: () => {} }),
      ).rejects.toBeInstanceOf(ExampleStartError);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('examples/hono/server.ts with a bad TRUST_PROXY', () => {
  it('prints one line and exits 1', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const cwd = await mkdtemp(join(tmpdir(), 'latchkey-trust-proxy-start-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', TRUST_PROXY: '10.0.0.0/8,nginx' };
      for (const name of ['DATABASE_URL', 'LATCHKEY_SECRET', 'SMTP_URL', 'PUBLIC_URL', 'WEBHOOK_URL']) delete env[name];
      const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'examples', 'hono', 'server.ts')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await new Promise<number | null>((done) => child.once('exit', done));
      clearTimeout(timer);
      expect(code, stderr).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toEqual([
        '[example] TRUST_PROXY must be true (one proxy), a number of proxy hops, or a comma-separated list of the proxies\' addresses or CIDRs (10.0.0.0/8,::1); got 10.0.0.0/8,nginx: "nginx" is not an IP address or CIDR.',
      ]);
      expect(await readdir(cwd)).toEqual([]);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

interface Listening {
  base: string;
  close(): Promise<void>;
}

const frameworks: Array<{ name: string; serve: (auth: Auth, options: ExampleAppOptions) => Promise<Listening> }> = [
  {
    name: 'Hono',
    async serve(auth, options) {
      const app = createHonoApp(auth, options);
      let server!: ReturnType<typeof serve>;
      const base = await new Promise<string>((done) => {
        server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => done(`http://127.0.0.1:${info.port}`));
      });
      return { base, close: () => new Promise<void>((done) => server.close(() => done())) };
    },
  },
  {
    name: 'Express',
    async serve(auth, options) {
      const app = createExpressApp(auth, options);
      const server = await new Promise<Server>((done) => {
        const listening = app.listen(0, '127.0.0.1', () => done(listening));
      });
      return {
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      };
    },
  },
  {
    name: 'Fastify',
    async serve(auth, options) {
      const app = await createFastifyApp(auth, options);
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
    },
  },
];

/** The socket's address as the frameworks report it for a loopback IPv4 connection. */
const SOCKET = ['127.0.0.1', '::ffff:127.0.0.1'];

describe.each(frameworks)('examples/$name: the client address latchkey records', ({ serve }) => {
  /** Registers an account, logs in with `forwarded` as X-Forwarded-For, and returns the login's recorded ip. */
  async function recordedIp(trustProxy: string | undefined, forwarded: string): Promise<string | null> {
    const example = await createExampleAuth({
      env: { DATABASE_URL: 'memory:', ...(trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy }) },
      logger: silentLogger,
      warn: () => {},
    });
    const app = await serve(example.auth, { trustProxy: example.trustProxy });
    try {
      const email = `ada.${randomBytes(4).toString('hex')}@example.com`;
      const password = 'correct horse battery staple';
      const post = (path: string, json: unknown) =>
        fetch(app.base + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded },
          body: JSON.stringify(json),
        });
      expect((await post('/auth/accounts', { email, password })).status).toBe(201);
      const login = await post('/auth/login', { email, password });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const history = await fetch(`${app.base}/auth/account/logins`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(history.status).toBe(200);
      const { data } = (await history.json()) as { data: Array<{ ip: string | null; success: boolean }> };
      expect(data[0]!.success).toBe(true);
      return data[0]!.ip;
    } finally {
      await app.close();
      await example.close();
    }
  }

  it('TRUST_PROXY=127.0.0.1: the address X-Forwarded-For names', async () => {
    expect(await recordedIp('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
  });

  it('TRUST_PROXY=127.0.0.0/8: the first untrusted hop, walking back from the socket', async () => {
    expect(await recordedIp('127.0.0.0/8', '198.51.100.1, 203.0.113.9, 127.0.0.5')).toBe('203.0.113.9');
  });

  it('TRUST_PROXY=true: one hop back, not the left-most (client-written) entry', async () => {
    expect(await recordedIp('true', '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
  });

  it('TRUST_PROXY=2: two hops back', async () => {
    expect(await recordedIp('2', '198.51.100.1, 203.0.113.9, 192.0.2.4')).toBe('203.0.113.9');
  });

  it('TRUST_PROXY unset: the socket’s address; a forged X-Forwarded-For is ignored', async () => {
    expect(SOCKET).toContain(await recordedIp(undefined, '203.0.113.9'));
  });

  it('a socket that is not a trusted proxy: its own address; the forged header is ignored', async () => {
    expect(SOCKET).toContain(await recordedIp('10.0.0.0/8', '203.0.113.9'));
  });
});
