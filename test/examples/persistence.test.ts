import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/hono/app.js';
import { createExampleAuth, type ExampleAuthOptions } from '../../examples/shared/config.js';
import { silentLogger } from '../../src/adapters/index.js';
import { describeWithService, pgTestDatabase, serviceUrl, type TestDatabase } from '../support/services.js';

/**
 * The `npm start` app keeps what it knows across a restart: started on a SQLite file and a data dir,
 * stopped, and started again on the same files, an access token from the first run still verifies and
 * the account still logs in. The same on PostgreSQL (`DATABASE_URL=postgres://…`).
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
  const app = createApp(example.auth);
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
  return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
}

const password = 'correct horse battery staple';

/** Registers and logs in on the first run, restarts, and checks the token and the login on the second. */
async function expectSurvivesRestart(options: Omit<ExampleAuthOptions, 'logger' | 'warn'>): Promise<{ first: Running; second: Running }> {
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

  const second = await startExample(options);
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
    const { first, second } = await expectSurvivesRestart({ env: {}, dataDir });

    expect(existsSync(join(dataDir, 'latchkey.sqlite'))).toBe(true);
    expect((await stat(join(dataDir, 'dev-secret'))).mode & 0o777).toBe(0o600);
    expect(first.warnings.join('\n')).toMatch(/DEVELOPMENT secret just created in/);
    expect(first.warnings.join('\n')).toMatch(/created latchkey's tables: 0001-initial/);
    expect(second.warnings.join('\n')).toMatch(/DEVELOPMENT secret kept in/);
    expect(second.warnings.join('\n')).not.toMatch(/created latchkey's tables/);
  });

  it('with LATCHKEY_SECRET and DATABASE_URL=sqlite:…: no secret file, the database where the URL says', async () => {
    const dataDir = join(dir, 'data');
    const file = join(dir, 'elsewhere', 'auth.sqlite');
    const { first } = await expectSurvivesRestart({ env: { DATABASE_URL: `sqlite:${file}`, LATCHKEY_SECRET: 's'.repeat(40) }, dataDir });
    expect(existsSync(file)).toBe(true);
    expect(existsSync(dataDir)).toBe(false);
    expect(first.warnings.join('\n')).not.toMatch(/DEVELOPMENT/);
  });

  it('DATABASE_URL=memory: writes nothing to disk (and forgets everything on restart)', async () => {
    const dataDir = join(dir, 'data');
    const running = await startExample({ env: { DATABASE_URL: 'memory:' }, dataDir });
    try {
      const email = `grace.${randomBytes(4).toString('hex')}@example.com`;
      expect((await call(running.base, 'POST', '/auth/accounts', { json: { email, password } })).status).toBe(201);
      expect(running.warnings.join('\n')).toMatch(/for this run only/);
    } finally {
      await running.stop();
    }
    expect(existsSync(dataDir)).toBe(false);
  });
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
    const { first } = await expectSurvivesRestart({ env: { DATABASE_URL: url.toString() }, dataDir: join(dir, 'data') });
    expect(first.warnings.join('\n')).toMatch(/created latchkey's tables: 0001-initial/);
    const { rows: tables } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = ${rows[0]!.schema}`.execute(
      database!.db,
    );
    expect(tables[0]!.n).toBeGreaterThan(0);
  });
});
