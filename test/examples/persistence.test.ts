import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/hono/app.js';
import { createExampleAuth, type ExampleAuthOptions } from '../../examples/shared/config.js';
import { ExampleStartError, exampleMode } from '../../examples/shared/mode.js';
import { silentLogger } from '../../src/adapters/index.js';
import { describeWithService, pgTestDatabase, serviceUrl, type TestDatabase } from '../support/services.js';

/**
 * The `npm start` app keeps what it knows across a restart: started on a SQLite file and a data dir,
 * stopped, and started again on the same files, an access token from the first run still verifies and
 * the account still logs in. The same on PostgreSQL (`DATABASE_URL=postgres://…`). Its files are private
 * (the database 0600, the development secret 0600 apart from it, their directories 0700); in production
 * (`NODE_ENV` other than development or test) it needs `LATCHKEY_SECRET` and serves no `/dev` routes,
 * and a secret that cannot open the stored keys stops the start.
 */

interface Running {
  base: string;
  warnings: string[];
  stop(): Promise<void>;
}

/** Starts the Hono example the way examples/hono/server.ts does, on a free loopback port. */
async function startExample(options: Omit<ExampleAuthOptions, 'logger' | 'warn'>): Promise<Running> {
  const warnings: string[] = [];
  const example = await createExampleAuth({ ...options, logger: silentLogger, warn: (line) => warnings.push(line) });
  const app = createApp(example.auth, { outbox: example.outbox, sms: example.sms });
  let server!: ServerType;
  const base = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
  });
  return {
    base,
    warnings,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await example.close();
    },
  };
}

async function call(base: string, method: string, path: string, init: { json?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(base + path, { method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') && text;
  return { status: response.status, body: json ? (JSON.parse(text) as any) : undefined };
}

const password = 'correct horse battery staple';

type StartOptions = Omit<ExampleAuthOptions, 'logger' | 'warn'>;

/** A secret as an operator would make one (`openssl rand -base64 32`): latchkey refuses placeholders. */
const randomSecret = (): string => randomBytes(32).toString('base64url');

/**
 * Registers and logs in on the first run, restarts (with `secondOptions`, by default the same), and
 * checks the token and the login on the second.
 */
async function expectSurvivesRestart(
  options: StartOptions,
  secondOptions: StartOptions = options,
): Promise<{ first: Running; second: Running }> {
  const email = `ada.${randomBytes(4).toString('hex')}@example.com`;
  const first = await startExample(options);
  let login;
  try {
    expect((await call(first.base, 'POST', '/auth/accounts', { json: { email, password } })).status).toBe(201);
    login = await call(first.base, 'POST', '/auth/login', { json: { email, password } });
    expect(login.status).toBe(200);
    expect((await call(first.base, 'GET', '/auth/account', { token: login.body.accessToken })).status).toBe(200);
  } finally {
    await first.stop();
  }

  const second = await startExample(secondOptions);
  try {
    // Signed with a key the first run made, sealed in the database with the kept secret.
    const account = await call(second.base, 'GET', '/auth/account', { token: login.body.accessToken });
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ id: login.body.account.id, email: { address: email } });
    expect((await call(second.base, 'GET', '/api/me', { token: login.body.accessToken })).status).toBe(200);
    expect((await call(second.base, 'POST', '/auth/login', { json: { email, password } })).status).toBe(200);
    const refreshed = await call(second.base, 'POST', '/auth/token/refresh', { json: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
  } finally {
    await second.stop();
  }
  return { first, second };
}

/** The permission bits of a file or directory. */
async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('examples: the npm start app across a restart', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-example-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('on SQLite with the kept development secret: the old token verifies and the login still works', async () => {
    const dataDir = join(dir, 'data');
    const secretDir = join(dir, '.latchkey');
    const { first, second } = await expectSurvivesRestart({ env: {}, dataDir, secretDir });

    // Private files in private directories, and the secret not beside the database.
    expect(await modeOf(dataDir)).toBe(0o700);
    expect(await modeOf(join(dataDir, 'latchkey.sqlite'))).toBe(0o600);
    for (const file of await readdir(dataDir)) expect(await modeOf(join(dataDir, file)), file).toBe(0o600); // -wal, -shm too
    expect(await readdir(dataDir)).not.toContain('dev-secret');
    expect(await modeOf(secretDir)).toBe(0o700);
    expect(await modeOf(join(secretDir, 'dev-secret'))).toBe(0o600);
    expect(first.warnings.join('\n')).toMatch(/DEVELOPMENT secret just created in/);
    expect(first.warnings.join('\n')).toMatch(/created latchkey's tables: 0001-initial/);
    expect(first.warnings.join('\n')).toContain('[example] mode: development (NODE_ENV unset)');
    expect(second.warnings.join('\n')).toMatch(/DEVELOPMENT secret kept in/);
    expect(second.warnings.join('\n')).not.toMatch(/created latchkey's tables/);
  });

  it('moves a development secret left in the data directory by an earlier version, and the data keeps working', async () => {
    const dataDir = join(dir, 'data');
    const secretDir = join(dir, '.latchkey');
    // The earlier layout: the secret beside the database. The data made then must still open after.
    const { second } = await expectSurvivesRestart({ env: {}, dataDir, secretDir: dataDir }, { env: {}, dataDir, secretDir });
    expect(existsSync(join(dataDir, 'dev-secret'))).toBe(false);
    expect(await modeOf(join(secretDir, 'dev-secret'))).toBe(0o600);
    expect(second.warnings.join('\n')).toMatch(/moved the development secret from .*data\/dev-secret to .*\.latchkey\/dev-secret/);
    expect(second.warnings.join('\n')).toMatch(/DEVELOPMENT secret kept in/);

    // Both there (an old copy came back): the new one is used, and the old one named for deletion.
    await writeFile(join(dataDir, 'dev-secret'), `${randomSecret()}\n`, { mode: 0o600 });
    const kept = await readFile(join(secretDir, 'dev-secret'), 'utf8');
    const third = await startExample({ env: {}, dataDir, secretDir });
    await third.stop();
    expect(await readFile(join(secretDir, 'dev-secret'), 'utf8')).toBe(kept);
    expect(third.warnings.join('\n')).toMatch(/data\/dev-secret is no longer used/);

    // An old file that others could read arrives private.
    const oldDir = join(dir, 'old-data');
    const oldSecret = randomSecret();
    await mkdir(oldDir);
    await writeFile(join(oldDir, 'dev-secret'), `${oldSecret}\n`, { mode: 0o644 });
    const fourth = await startExample({ env: {}, dataDir: oldDir, secretDir: join(dir, 'old-secrets') });
    await fourth.stop();
    expect(await readFile(join(dir, 'old-secrets', 'dev-secret'), 'utf8')).toBe(`${oldSecret}\n`);
    expect(await modeOf(join(dir, 'old-secrets', 'dev-secret'))).toBe(0o600);
    expect(fourth.warnings.join('\n')).not.toMatch(/readable by other users/);
  });

  it('with LATCHKEY_SECRET and DATABASE_URL=sqlite:…: no secret file, the database where the URL says', async () => {
    const dataDir = join(dir, 'data');
    const secretDir = join(dir, '.latchkey');
    const file = join(dir, 'elsewhere', 'auth.sqlite');
    const { first } = await expectSurvivesRestart({ env: { DATABASE_URL: `sqlite:${file}`, LATCHKEY_SECRET: randomSecret() }, dataDir, secretDir });
    expect(existsSync(file)).toBe(true);
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(join(dir, 'elsewhere'))).toBe(0o700);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(secretDir)).toBe(false);
    expect(first.warnings.join('\n')).not.toMatch(/DEVELOPMENT/);
  });

  it('DATABASE_URL=memory: writes nothing to disk (and forgets everything on restart)', async () => {
    const dataDir = join(dir, 'data');
    const secretDir = join(dir, '.latchkey');
    const running = await startExample({ env: { DATABASE_URL: 'memory:' }, dataDir, secretDir });
    try {
      const email = `grace.${randomBytes(4).toString('hex')}@example.com`;
      expect((await call(running.base, 'POST', '/auth/accounts', { json: { email, password } })).status).toBe(201);
      expect(running.warnings.join('\n')).toMatch(/for this run only/);
    } finally {
      await running.stop();
    }
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(secretDir)).toBe(false);
  });

  it('a secret that cannot open the stored signing keys stops the start, with one line that says so', async () => {
    const dataDir = join(dir, 'data');
    const secretDir = join(dir, '.latchkey');
    const env = { LATCHKEY_SECRET: randomSecret() };
    const first = await startExample({ env, dataDir, secretDir });
    try {
      // A login makes (and seals) the first signing key.
      const email = `ada.${randomBytes(4).toString('hex')}@example.com`;
      expect((await call(first.base, 'POST', '/auth/accounts', { json: { email, password } })).status).toBe(201);
      expect((await call(first.base, 'POST', '/auth/login', { json: { email, password } })).status).toBe(200);
    } finally {
      await first.stop();
    }

    const wrong = startExample({ env: { LATCHKEY_SECRET: randomSecret() }, dataDir, secretDir });
    await expect(wrong).rejects.toBeInstanceOf(ExampleStartError);
    const error = (await wrong.catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/cannot open the signing keys/);
    expect(error.message).toMatch(/LATCHKEY_SECRET/);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain(env.LATCHKEY_SECRET);

    // The same with the development secret: a lost .latchkey/dev-secret is a new secret.
    const devDir = join(dir, 'dev');
    const devSecretDir = join(dir, 'dev-secrets');
    const made = await startExample({ env: {}, dataDir: devDir, secretDir: devSecretDir });
    try {
      const email = `grace.${randomBytes(4).toString('hex')}@example.com`;
      expect((await call(made.base, 'POST', '/auth/accounts', { json: { email, password } })).status).toBe(201);
      expect((await call(made.base, 'POST', '/auth/login', { json: { email, password } })).status).toBe(200);
    } finally {
      await made.stop();
    }
    await rm(join(devSecretDir, 'dev-secret'));
    await expect(startExample({ env: {}, dataDir: devDir, secretDir: devSecretDir })).rejects.toThrow(/development secret file/);
  });
});

describe('examples: development and production', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-example-mode-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('NODE_ENV unset, empty, development or test is development; anything else is production', () => {
    for (const value of [undefined, '', 'development', 'test']) expect(exampleMode({ NODE_ENV: value }), String(value)).toBe('development');
    for (const value of ['production', 'staging', 'prod', 'Development']) expect(exampleMode({ NODE_ENV: value }), value).toBe('production');
  });

  it('production without LATCHKEY_SECRET refuses to start and writes nothing', async () => {
    const dataDir = join(dir, 'data');
    const secretDir = join(dir, '.latchkey');
    for (const DATABASE_URL of [undefined, 'memory:']) {
      const started = createExampleAuth({ env: { NODE_ENV: 'production', DATABASE_URL }, dataDir, secretDir, logger: silentLogger, warn: () => {} });
      await expect(started).rejects.toBeInstanceOf(ExampleStartError);
      await expect(started).rejects.toThrow(/^LATCHKEY_SECRET is not set: in production \(NODE_ENV=production\).*openssl rand -base64 32/);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('production serves no /dev/outbox and no /dev/sms (404), and makes no development secret', async () => {
    const dataDir = join(dir, 'data');
    const secretDir = join(dir, '.latchkey');
    const running = await startExample({ env: { NODE_ENV: 'production', LATCHKEY_SECRET: randomSecret() }, dataDir, secretDir });
    try {
      expect((await call(running.base, 'GET', '/dev/outbox')).status).toBe(404);
      expect((await call(running.base, 'GET', '/dev/sms')).status).toBe(404);
      const routes = Object.keys((await call(running.base, 'GET', '/api')).body.routes);
      expect(routes.filter((route) => route.includes('/dev/'))).toEqual([]);
      // latchkey itself works: the mail simply is not sent (no SMTP_URL).
      const email = `ada.${randomBytes(4).toString('hex')}@example.com`;
      expect((await call(running.base, 'POST', '/auth/accounts', { json: { email, password } })).status).toBe(201);
      const warnings = running.warnings.join('\n');
      expect(warnings).toContain('[example] mode: production (NODE_ENV=production): no /dev routes');
      expect(warnings).toMatch(/\[example\] mail: none/);
      expect(warnings).not.toMatch(/DEVELOPMENT|served at GET \/dev\//);
    } finally {
      await running.stop();
    }
    expect(existsSync(secretDir)).toBe(false);
    expect(await modeOf(join(dataDir, 'latchkey.sqlite'))).toBe(0o600);
  });

  it('development (NODE_ENV=test, and unset) serves both outboxes', async () => {
    for (const env of [{ NODE_ENV: 'test', DATABASE_URL: 'memory:' }, { DATABASE_URL: 'memory:' }]) {
      const running = await startExample({ env, dataDir: join(dir, 'data'), secretDir: join(dir, '.latchkey') });
      try {
        expect((await call(running.base, 'GET', '/dev/outbox')).status).toBe(200);
        expect((await call(running.base, 'GET', '/dev/sms')).status).toBe(200);
      } finally {
        await running.stop();
      }
    }
  });

  it('`npm start` with NODE_ENV=production and no LATCHKEY_SECRET exits 1 with one line on stderr, no stack', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: '0' };
    for (const name of ['LATCHKEY_SECRET', 'DATABASE_URL', 'SMTP_URL', 'PUBLIC_URL', 'HOST']) delete env[name];
    // In an empty working directory, so that a start that went wrong would show as files there.
    const cwd = join(dir, 'cwd');
    await mkdir(cwd);
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'examples', 'hono', 'server.ts')], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[example\] LATCHKEY_SECRET is not set: in production \(NODE_ENV=production\)/);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(await readdir(cwd)).toEqual([]);
  }, 30_000);
});

await describeWithService('postgres', 'examples: the npm start app across a restart on PostgreSQL', () => {
  let database: TestDatabase | undefined;
  let dir: string;

  beforeAll(async () => {
    database = await pgTestDatabase({ poolSize: 1 });
    dir = await mkdtemp(join(tmpdir(), 'latchkey-example-'));
  });

  afterAll(async () => {
    await database?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('DATABASE_URL=postgres://…?options=-c search_path=…: migrated on start, the old token verifies after a restart', async () => {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database!.db);
    const url = new URL(serviceUrl('postgres'));
    url.searchParams.set('options', `-c search_path=${rows[0]!.schema}`);
    const { first } = await expectSurvivesRestart({
      env: { DATABASE_URL: url.toString() },
      dataDir: join(dir, 'data'),
      secretDir: join(dir, '.latchkey'),
    });
    expect(first.warnings.join('\n')).toMatch(/created latchkey's tables: 0001-initial/);
    const { rows: tables } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = ${rows[0]!.schema}`.execute(
      database!.db,
    );
    expect(tables[0]!.n).toBeGreaterThan(0);
  });
});
