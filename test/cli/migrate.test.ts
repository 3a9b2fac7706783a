import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main.js';
import {
  describeWithService,
  mysqlTestDatabase,
  pgTestDatabase,
  serviceUrl,
  type ServiceName,
  type TestDatabase,
} from '../support/services.js';

/** `latchkey …` in-process: the exit code and everything it printed. */
async function latchkey(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line), env });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

/** The migration names of the `Pending (n): a, b` or `Applied (n): a, b` line. */
function listed(stdout: string, label: 'Pending' | 'Applied'): string[] {
  const match = new RegExp(`^${label} \\((\\d+)\\): (.+)$`, 'm').exec(stdout);
  if (!match) throw new Error(`no "${label}" line in:\n${stdout}`);
  const names = match[2]!.split(', ');
  expect(names).toHaveLength(Number(match[1]));
  return names;
}

function sqliteTables(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`select name from sqlite_master where type = 'table' order by name`).all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('latchkey migrate on SQLite', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-'));
    file = join(dir, 'nested', 'app.sqlite');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--dry-run lists 0001-initial with its SQL and creates nothing, not even the file', async () => {
    const result = await latchkey(['migrate', '--url', `sqlite:${file}`, '--dry-run']);
    expect(result).toMatchObject({ code: EXIT_OK, stderr: '' });
    expect(listed(result.stdout, 'Pending')[0]).toBe('0001-initial');
    expect(result.stdout).toContain('-- 0001-initial');
    expect(result.stdout).toMatch(/create table if not exists "latchkey_accounts"/);
    expect(result.stdout).toContain('nothing was changed');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(dir, 'nested'))).toBe(false);
  });

  it('--dry-run on an existing empty database creates no tables', async () => {
    const existing = join(dir, 'empty.sqlite');
    new Database(existing).close();
    const result = await latchkey(['migrate', '--url', existing, '--dry-run']);
    expect(result.code).toBe(EXIT_OK);
    expect(listed(result.stdout, 'Pending')[0]).toBe('0001-initial');
    expect(sqliteTables(existing)).toEqual([]);
  });

  it('applies what the dry run listed, then says up to date, and a dry run then has nothing pending', async () => {
    const pending = listed((await latchkey(['migrate', '--url', `sqlite:${file}`, '--dry-run'])).stdout, 'Pending');
    const first = await latchkey(['migrate', '--url', `sqlite:${file}`]);
    expect(first).toMatchObject({ code: EXIT_OK, stderr: '' });
    expect(listed(first.stdout, 'Applied')).toEqual(pending);
    expect(sqliteTables(file)).toEqual(expect.arrayContaining(['latchkey_accounts', 'latchkey_sessions', 'latchkey_migrations']));

    const second = await latchkey(['migrate', '--url', `sqlite:${file}`]);
    expect(second.code).toBe(EXIT_OK);
    expect(second.stdout).toMatch(/up to date/i);
    expect(second.stdout).not.toContain('Applied');

    const dry = await latchkey(['migrate', '--url', `sqlite:${file}`, '--dry-run']);
    expect(dry.code).toBe(EXIT_OK);
    expect(dry.stdout).toContain(`Already applied: ${pending.join(', ')}`);
    expect(dry.stdout).toMatch(/up to date/i);
  });

  it('reads DATABASE_URL when --url is absent, and honours --table-prefix', async () => {
    const result = await latchkey(['migrate', '--table-prefix', 'app_'], { DATABASE_URL: `file:${file}` });
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain('table prefix "app_"');
    const tables = sqliteTables(file);
    expect(tables).toContain('app_accounts');
    expect(tables).not.toContain('latchkey_accounts');
  });
});

describe('latchkey: usage', () => {
  it.each([
    ['no command', []],
    ['an unknown command', ['migrat']],
    ['an unknown option', ['migrate', '--url', ':memory:', '--force']],
    ['--url without a value', ['migrate', '--url']],
    ['a stray argument', ['migrate', ':memory:']],
    ['no URL and no DATABASE_URL', ['migrate']],
    ['an unsupported scheme', ['migrate', '--url', 'redis://localhost:6379']],
    ['a table prefix with a dash', ['migrate', '--url', ':memory:', '--table-prefix', 'my-app']],
  ])('%s exits 2 with a message', async (_, args) => {
    const result = await latchkey(args);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(/^latchkey: .+/);
    expect(result.stderr).toContain('--help');
    expect(result.stdout).toBe('');
  });

  it('--help prints the usage and exits 0', async () => {
    expect(await latchkey(['--help'])).toMatchObject({ code: EXIT_OK, stdout: expect.stringContaining('migrate') });
    const migrateHelp = await latchkey(['migrate', '--help']);
    expect(migrateHelp.code).toBe(EXIT_OK);
    expect(migrateHelp.stdout).toContain('--dry-run');
    expect(migrateHelp.stdout).toContain('DATABASE_URL');
  });
});

describe('latchkey: passwords in URLs', () => {
  const password = 'Sup3r-s3cret-pw';

  it('never prints the password of a server that does not answer (exit 1)', async () => {
    const result = await latchkey(['migrate', '--url', `postgres://app:${password}@127.0.0.1:1/app`]);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stdout).toContain('postgres://app:***@127.0.0.1:1/app');
    expect(result.stderr).toMatch(/Cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/app/);
    expect(`${result.stdout}\n${result.stderr}`).not.toContain(password);
  });

  it('masks it in usage errors and in password= parameters too', async () => {
    const badScheme = await latchkey(['migrate', '--url', `redis://app:${password}@localhost/0`]);
    expect(badScheme.code).toBe(EXIT_USAGE);
    expect(badScheme.stderr).toContain('redis://app:***@localhost/0');
    const param = await latchkey(['migrate', '--url', `mysql://app@127.0.0.1:1/app?password=${password}`, '--dry-run']);
    expect(param.code).toBe(EXIT_FAILURE);
    for (const result of [badScheme, param]) expect(`${result.stdout}\n${result.stderr}`).not.toContain(password);
  });
});

/** The server's URL, pointed at one throwaway schema (PostgreSQL) or database (MySQL). */
async function urlFor(service: ServiceName, database: TestDatabase): Promise<{ url: string; tables: () => Promise<string[]> }> {
  const url = new URL(serviceUrl(service));
  if (service === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
    const schema = rows[0]!.schema;
    url.searchParams.set('options', `-c search_path=${schema}`);
    const tables = async () =>
      (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${schema}`.execute(database.db)).rows.map((r) => r.name);
    return { url: url.toString(), tables };
  }
  const { rows } = await sql<{ name: string }>`select database() as name`.execute(database.db);
  url.pathname = `/${rows[0]!.name}`;
  const tables = async () =>
    (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = database()`.execute(database.db)).rows.map(
      (r) => r.name,
    );
  return { url: url.toString(), tables };
}

const servers: { service: ServiceName; open: () => Promise<TestDatabase> }[] = [
  { service: 'postgres', open: () => pgTestDatabase({ poolSize: 2 }) },
  { service: 'mysql', open: () => mysqlTestDatabase({ poolSize: 2 }) },
];

for (const { service, open } of servers) {
  await describeWithService(service, `latchkey migrate on ${service}`, () => {
    let database: TestDatabase | undefined;
    let target: Awaited<ReturnType<typeof urlFor>>;

    beforeAll(async () => {
      database = await open();
      target = await urlFor(service, database);
    });

    afterAll(async () => {
      await database?.destroy();
    });

    it('dry run, run, run again: lists 0001-initial and changes nothing, applies it, is up to date', async () => {
      const dry = await latchkey(['migrate', '--dry-run'], { DATABASE_URL: target.url });
      expect(dry).toMatchObject({ code: EXIT_OK, stderr: '' });
      const pending = listed(dry.stdout, 'Pending');
      expect(pending[0]).toBe('0001-initial');
      expect(dry.stdout).toMatch(/create table if not exists .latchkey_accounts./);
      expect(await target.tables()).toEqual([]);

      const run = await latchkey(['migrate', '--url', target.url]);
      expect(run).toMatchObject({ code: EXIT_OK, stderr: '' });
      expect(listed(run.stdout, 'Applied')).toEqual(pending);
      expect(await target.tables()).toEqual(expect.arrayContaining(['latchkey_accounts', 'latchkey_migrations']));

      const again = await latchkey(['migrate', '--url', target.url]);
      expect(again.code).toBe(EXIT_OK);
      expect(again.stdout).toMatch(/up to date/i);
    });
  });
}
