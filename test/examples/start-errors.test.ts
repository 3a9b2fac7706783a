import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenStartError } from '../../examples/shared/listen.js';
import { ExampleStartError } from '../../examples/shared/mode.js';
import { describeWithService, serviceUrl } from '../support/services.js';

/**
 * Start-up errors a person can act on: the real demo servers (`npx tsx examples/<framework>/server.ts`),
 * each in an empty working directory, stop on a port in use or a `DATABASE_URL` that does not open
 * with exit code 1 and one line on stderr that says what to change, with no stack, no password from
 * the URL, and nothing written.
 */

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

const SERVERS = [
  { framework: 'hono', command: 'npm start' },
  { framework: 'express', command: 'npm run start:express' },
  { framework: 'fastify', command: 'npm run start:fastify' },
] as const;

let dir: string;
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-start-errors-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the server left in its working directory. */
  written: string[];
}

/**
 * Runs a demo server to its exit (killed after 20 s: a server that starts is a failure here), in a new
 * working directory holding `files` (empty).
 */
async function start(framework: string, env: NodeJS.ProcessEnv, files: string[] = []): Promise<Exit> {
  const cwd = join(dir, `run-${++runs}`);
  await mkdir(cwd);
  for (const file of files) await writeFile(join(cwd, file), '');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0' };
  for (const name of ['DATABASE_URL', 'LATCHKEY_SECRET', 'SMTP_URL', 'PUBLIC_URL']) delete childEnv[name];
  const child = spawn(tsx, [join(root, 'examples', framework, 'server.ts')], {
    cwd,
    env: { ...childEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
  clearTimeout(timer);
  return { code, stdout, stderr, written: await readdir(cwd) };
}

/**
 * Exit 1, nothing on stdout, one line on stderr, no stack, nothing written (the working directory holds
 * only `files`); the line without its `[example] `.
 */
function expectOneLine(exit: Exit, files: string[] = []): string {
  expect(exit.code, exit.stderr).toBe(1);
  expect(exit.stdout).toBe('');
  const lines = exit.stderr.trim().split('\n');
  expect(lines, exit.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^\[example\] /);
  expect(exit.stderr).not.toMatch(/^\s+at /m);
  expect(exit.written).toEqual(files);
  return lines[0]!.slice('[example] '.length);
}

/** A loopback port something else listens on. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { port: (server.address() as AddressInfo).port, server };
}

const secret = (): string => `pw-${randomBytes(6).toString('hex')}`;

describe('examples: a port that cannot be listened on', () => {
  it.each(SERVERS)('$framework: a port in use says which, and the command with another PORT', async ({ framework, command }) => {
    const { port, server } = await occupiedPort();
    try {
      const line = expectOneLine(await start(framework, { PORT: String(port) }));
      expect(line).toBe(`Port ${port} on 127.0.0.1 is already in use: stop what is using it, or pick another port: PORT=${port + 1} ${command}`);
    } finally {
      server.close();
    }
  });

  it('a HOST that is not of this machine, and a PORT that is not a number, say so', async () => {
    expect(expectOneLine(await start('hono', { HOST: '192.0.2.1', PORT: '3999' }))).toMatch(
      /^HOST=192\.0\.2\.1 is not an address of this machine: leave HOST unset/,
    );
    expect(expectOneLine(await start('hono', { PORT: 'three thousand' }))).toBe('PORT must be a port number (0 to 65535), got three thousand.');
  });

  it('a listen that fails after the check (the port taken in between) reads the same', async () => {
    const { port, server } = await occupiedPort();
    const second = createServer();
    try {
      const error = await new Promise<Error>((done) => second.once('error', done).listen(port, '127.0.0.1'));
      const start = { command: 'npm start', defaultPort: 3000 };
      const reported = listenStartError(error, { port, host: '127.0.0.1' }, start);
      expect(reported).toBeInstanceOf(ExampleStartError);
      expect((reported as Error).message).toBe(`Port ${port} on 127.0.0.1 is already in use: stop what is using it, or pick another port: PORT=${port + 1} npm start`);
      const other = new Error('something else');
      expect(listenStartError(other, { port, host: '127.0.0.1' }, start)).toBe(other);
    } finally {
      server.close();
    }
  });
});

describe('examples: a DATABASE_URL that does not open', () => {
  it.each([
    {
      what: 'an unsupported scheme',
      url: (pw: string) => `redis://app:${pw}@cache:6379/0`,
      expected: /^Unsupported database URL scheme "redis:" in redis:\/\/app:\*\*\*@cache:6379\/0\. Use postgres:/,
    },
    {
      what: 'a URL that does not parse',
      url: (pw: string) => `postgres://app:${pw}@[db:5432/app`,
      expected: /^Not a valid PostgreSQL URL: postgres:\/\/app:\*\*\*@\[db:5432\/app \(expected e\.g\. postgres:\/\/user:password@host/,
    },
    {
      what: 'a host that does not resolve',
      url: (pw: string) => `postgres://app:${pw}@nohost.invalid:5432/app`,
      expected: /^Cannot connect to postgres:\/\/app:\*\*\*@nohost\.invalid:5432\/app: getaddrinfo (ENOTFOUND|EAI_AGAIN) nohost\.invalid\. /,
    },
    {
      what: 'a server that refuses the connection',
      url: (pw: string) => `mysql://app:${pw}@127.0.0.1:1/app`,
      expected: /^Cannot connect to mysql:\/\/app:\*\*\*@127\.0\.0\.1:1\/app: connect ECONNREFUSED 127\.0\.0\.1:1\. /,
    },
  ])('$what: one line with the URL, its password masked, and what to check', async ({ url, expected }) => {
    const pw = secret();
    const exit = await start('hono', { DATABASE_URL: url(pw) });
    const line = expectOneLine(exit);
    expect(line).toMatch(expected);
    expect(line).toMatch(/\. Check DATABASE_URL, or unset it to use SQLite at data\/latchkey\.sqlite\.$/);
    expect(exit.stderr).not.toContain(pw);
  });

  it('unset: the SQLite file it cannot create, and that DATABASE_URL picks another database', async () => {
    // A file where the demo's data directory should be.
    const line = expectOneLine(await start('hono', {}, ['data']), ['data']);
    expect(line).toMatch(/^Cannot create the database file for SQLite at data\/latchkey\.sqlite: E[A-Z]+: /);
    expect(line).toMatch(/\. DATABASE_URL is unset, so the demo uses this SQLite file: make its directory writable, or set DATABASE_URL\.$/);
  });
});

for (const service of ['postgres', 'mysql'] as const) {
  await describeWithService(service, `examples: bad ${service} credentials in DATABASE_URL`, () => {
    it('one line with the server’s reason, the password masked', async () => {
      const url = new URL(serviceUrl(service));
      const pw = secret();
      url.username = 'latchkey_no_such_user';
      url.password = pw;
      const exit = await start('hono', { DATABASE_URL: url.toString() });
      const line = expectOneLine(exit);
      const shown = url.toString().replace(pw, '***');
      expect(line.startsWith(`Cannot connect to ${shown}: `), line).toBe(true);
      expect(line).toMatch(/password authentication failed|role "latchkey_no_such_user" does not exist|Access denied for user 'latchkey_no_such_user'/);
      expect(exit.stderr).not.toContain(pw);
    });
  });
}
