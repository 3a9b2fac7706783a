import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/cli/connect.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main.js';
import { kyselyStorage, migrate } from '../../src/kysely.js';
import { createTestAuth, PASSWORD } from '../core/helpers.js';
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

/** Registers accounts through a full Auth on the same database, and reads their roles back. */
function accounts(database: TestDatabase) {
  const { auth, storage } = createTestAuth({ storage: kyselyStorage(database.db) });
  return {
    auth,
    register: (email: string, group?: string) => auth.register({ email, password: PASSWORD, group }),
    roles: async (id: string, group = 'default') => (await storage.accounts.findById(group, id))!.roles,
    audit: async (id: string, group = 'default') =>
      (await storage.auditLog.list(group, { limit: 100 })).data.filter((entry) => entry.targetId === id),
  };
}

/** The grant-and-revoke story every database tells the same way. */
function describeRoles(target: () => { url: string; database: TestDatabase }): void {
  it('grants admin by email, says so once, changes nothing the second time, and revokes it', async () => {
    const { url, database } = target();
    const a = accounts(database);
    const account = await a.register(`ada.${Date.now()}@example.com`);
    const grant = await latchkey(['grant-role', '--url', url, '--email', account.email.address.toUpperCase(), '--role', 'admin']);
    expect(grant, grant.stderr).toMatchObject({ code: EXIT_OK, stderr: '' });
    expect(grant.stdout).toContain(`Granted the role "admin" to ${account.email.address} (${account.id}).`);
    expect(await a.roles(account.id)).toEqual(['admin']);
    // The admin routes read roles from storage, so the Auth sees it at once.
    expect((await a.auth.getAccount({ accountId: account.id })).roles).toEqual(['admin']);

    const again = await latchkey(['grant-role', '--email', account.email.address, '--role', 'admin'], { DATABASE_URL: url });
    expect(again.code).toBe(EXIT_OK);
    expect(again.stdout).toContain('already has the role "admin": nothing to change.');

    const revoke = await latchkey(['revoke-role', '--url', url, '--email', account.email.address, '--role', 'admin']);
    expect(revoke.code).toBe(EXIT_OK);
    expect(revoke.stdout).toContain(`Revoked the role "admin" from ${account.email.address}`);
    expect(await a.roles(account.id)).toEqual([]);
    const twice = await latchkey(['revoke-role', '--url', url, '--email', account.email.address, '--role', 'admin']);
    expect(twice.stdout).toContain('does not have the role "admin": nothing to change.');
    // Every call is in the audit log, like auth.grantRole's: no actor (the command line), newest first.
    const log = await a.audit(account.id);
    expect(log.map((entry) => [entry.action, entry.details, entry.actorId])).toEqual([
      ['role.revoke', { role: 'admin', changed: false }, null],
      ['role.revoke', { role: 'admin', changed: true }, null],
      ['role.grant', { role: 'admin', changed: false }, null],
      ['role.grant', { role: 'admin', changed: true }, null],
    ]);
    // Subscribers hear the two real changes, as from auth.grantRole: the role change and the update.
    const feed = await a.auth.listEvents({ limit: 100 });
    const mine = feed.data.filter((e) => (e.data as { account?: { id: string } }).account?.id === account.id);
    expect(mine.map((e) => [e.event, (e.data as { change?: string }).change])).toEqual([
      ['account.created', undefined],
      ['account.role-changed', 'granted'],
      ['account.updated', undefined],
      ['account.role-changed', 'revoked'],
      ['account.updated', undefined],
    ]);
  });

  it('works in the group named by --group only, and exits 1 for an unknown account', async () => {
    const { url, database } = target();
    const a = accounts(database);
    const group = `acme-${Date.now()}`;
    await a.auth.createGroup({ id: group });
    const email = `grace.${Date.now()}@example.com`;
    const account = await a.register(email, group);
    const wrongGroup = await latchkey(['grant-role', '--url', url, '--email', email, '--role', 'admin']);
    expect(wrongGroup.code).toBe(EXIT_FAILURE);
    expect(wrongGroup.stderr).toBe(`latchkey grant-role: no account with the email ${email} in group "default".`);
    const right = await latchkey(['grant-role', '--url', url, '--group', group, '--email', email, '--role', 'admin']);
    expect(right.code).toBe(EXIT_OK);
    expect(await a.roles(account.id, group)).toEqual(['admin']);
  });
}

describe('latchkey grant-role / revoke-role on SQLite', () => {
  let dir: string;
  let file: string;
  let database: TestDatabase;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-roles-'));
    file = join(dir, 'app.sqlite');
    expect((await latchkey(['migrate', '--url', `sqlite:${file}`])).code).toBe(EXIT_OK);
    // The same file, opened by the test the way an app would.
    const connection = await connectDatabase(`sqlite:${file}`);
    database = { dialect: 'sqlite', db: connection.db, destroy: () => connection.close() };
  });

  afterEach(async () => {
    await database.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  describeRoles(() => ({ url: `sqlite:${file}`, database }));

  it('exits 1 on a database that was never migrated, saying why', async () => {
    const result = await latchkey(['grant-role', '--url', `sqlite:${join(dir, 'empty.sqlite')}`, '--email', 'a@example.com', '--role', 'admin']);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toMatch(/^latchkey grant-role: .*latchkey_accounts/);
  });
});

describe('latchkey grant-role: usage', () => {
  it.each([
    ['no --email', ['grant-role', '--url', ':memory:', '--role', 'admin']],
    ['no --role', ['revoke-role', '--url', ':memory:', '--email', 'a@example.com']],
    ['a bad role name', ['grant-role', '--url', ':memory:', '--email', 'a@example.com', '--role', 'Admin']],
    ['no URL', ['grant-role', '--email', 'a@example.com', '--role', 'admin']],
    ['--dry-run', ['grant-role', '--url', ':memory:', '--email', 'a@example.com', '--role', 'admin', '--dry-run']],
    ['--role on migrate', ['migrate', '--url', ':memory:', '--role', 'admin']],
    ['an empty --group', ['grant-role', '--url', ':memory:', '--group', '', '--email', 'a@example.com', '--role', 'admin']],
  ])('%s exits 2 with a message', async (_, args) => {
    const result = await latchkey(args);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(/^latchkey: .+/);
    expect(result.stdout).toBe('');
  });

  it('prints its help, and the main help lists the commands', async () => {
    const help = await latchkey(['grant-role', '--help']);
    expect(help.code).toBe(EXIT_OK);
    expect(help.stdout).toContain('latchkey grant-role --url <database-url> [--group <id>] --email <address> --role <role>');
    expect((await latchkey(['--help'])).stdout).toMatch(/grant-role[\s\S]*revoke-role/);
  });

  it('never prints the password of the URL', async () => {
    const result = await latchkey(
      ['grant-role', '--url', 'postgres://app:s3cr3t-pw@127.0.0.1:1/nope', '--email', 'a@example.com', '--role', 'admin'],
    );
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stdout + result.stderr).not.toContain('s3cr3t-pw');
  });
});

/** The server's URL, pointed at one throwaway schema (PostgreSQL) or database (MySQL). */
async function urlFor(service: ServiceName, database: TestDatabase): Promise<string> {
  const url = new URL(serviceUrl(service));
  if (service === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
    url.searchParams.set('options', `-c search_path=${rows[0]!.schema}`);
  } else {
    const { rows } = await sql<{ name: string }>`select database() as name`.execute(database.db);
    url.pathname = `/${rows[0]!.name}`;
  }
  return url.toString();
}

const servers: { service: ServiceName; open: () => Promise<TestDatabase> }[] = [
  { service: 'postgres', open: () => pgTestDatabase({ poolSize: 2 }) },
  { service: 'mysql', open: () => mysqlTestDatabase({ poolSize: 2 }) },
];

for (const { service, open } of servers) {
  await describeWithService(service, `latchkey grant-role / revoke-role on ${service}`, () => {
    let database: TestDatabase | undefined;
    let url: string;

    beforeAll(async () => {
      database = await open();
      await migrate(database.db);
      url = await urlFor(service, database);
    });

    afterAll(async () => {
      await database?.destroy();
    });

    describeRoles(() => ({ url, database: database! }));
  });
}
