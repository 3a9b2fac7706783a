import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import { Redis } from 'ioredis';
import { createConnection, createPool } from 'mysql2';
import pg from 'pg';
import { describe, it } from 'vitest';
import { cachedStatements, sqliteGroupCommit } from '../../src/kysely.js';

/**
 * The database servers tests may use, and throwaway databases on them. Every test database is new and
 * randomly named (a PostgreSQL schema, a MySQL database, a SQLite file in a temp dir), so concurrent
 * runs never collide; `destroy()` drops it.
 *
 * Servers come from `LATCHKEY_PG_URL`, `LATCHKEY_MYSQL_URL` and `LATCHKEY_REDIS_URL`. A server that does not answer skips the
 * suites that need it, with a message, unless `LATCHKEY_REQUIRE_SERVICES=1` (CI), which fails them.
 */

export type ServiceName = 'postgres' | 'mysql' | 'redis';

interface Service {
  label: string;
  env: string;
  fallback: string;
}

const SERVICES: Record<ServiceName, Service> = {
  postgres: { label: 'PostgreSQL', env: 'LATCHKEY_PG_URL', fallback: 'postgres://postgres@127.0.0.1:5432/test' },
  mysql: { label: 'MySQL/MariaDB', env: 'LATCHKEY_MYSQL_URL', fallback: 'mysql://root@127.0.0.1:3306/test' },
  redis: { label: 'Redis', env: 'LATCHKEY_REDIS_URL', fallback: 'redis://127.0.0.1:6379' },
};

/** How long a reachability probe waits for a server. */
const PROBE_TIMEOUT_MS = 2_000;

/** The server's URL, from its environment variable or the local default. */
export function serviceUrl(name: ServiceName): string {
  const { env, fallback } = SERVICES[name];
  return process.env[env] || fallback;
}

/** The URL without its password, for messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export function servicesRequired(): boolean {
  return process.env.LATCHKEY_REQUIRE_SERVICES === '1';
}

/** Connects once, with a short timeout, and runs a trivial query; the error when that fails. */
async function probe(name: ServiceName): Promise<Error | null> {
  const url = serviceUrl(name);
  try {
    if (name === 'postgres') {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('select 1');
      } finally {
        await client.end().catch(() => {});
      }
    } else if (name === 'redis') {
      const redis = new Redis(url, { lazyConnect: true, connectTimeout: PROBE_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
      redis.on('error', () => {});
      try {
        await redis.connect();
        await redis.ping();
      } finally {
        redis.disconnect();
      }
    } else {
      const connection = createConnection({ uri: url, connectTimeout: PROBE_TIMEOUT_MS }).promise();
      try {
        await connection.query('select 1');
      } finally {
        await connection.end().catch(() => {});
      }
    }
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

const probes = new Map<ServiceName, Promise<Error | null>>();

/**
 * Whether the server answers (probed once per test file). When it does not, and
 * `LATCHKEY_REQUIRE_SERVICES` is not `1`, prints that `what` is skipped. Prefer
 * {@link describeWithService}, which also turns a required but missing server into a failing test.
 */
export async function serviceAvailable(name: ServiceName, what = 'the suites that need it'): Promise<boolean> {
  let pending = probes.get(name);
  if (!pending) {
    pending = probe(name);
    probes.set(name, pending);
  }
  const error = await pending;
  if (error && !servicesRequired()) {
    console.warn(`${unreachableMessage(name, error)}: skipping ${what} (set LATCHKEY_REQUIRE_SERVICES=1 to fail instead)`);
  }
  return error === null;
}

function unreachableMessage(name: ServiceName, error: Error): string {
  const { label, env } = SERVICES[name];
  return `[latchkey] ${label} not reachable at ${redacted(serviceUrl(name))} (${error.message || error.name}; set ${env} to point elsewhere)`;
}

/**
 * `describe(title, suite)` when `service` answers (or is null: no server needed). Otherwise the suite is
 * skipped with a console message, or, with `LATCHKEY_REQUIRE_SERVICES=1`, replaced by one failing test
 * that says which server is missing. Call it with top-level `await`.
 *
 * @example
 * ```ts
 * await describeWithService('postgres', 'kysely/postgres', () => { ... });
 * ```
 */
export async function describeWithService(service: ServiceName | null, title: string, suite: () => void): Promise<void> {
  if (service === null || (await serviceAvailable(service, `the suite "${title}"`))) {
    describe(title, suite);
    return;
  }
  const error = (await probes.get(service)) ?? new Error('unreachable');
  if (servicesRequired()) {
    describe(title, () => {
      it(`reaches ${SERVICES[service].label}`, () => {
        throw new Error(`${unreachableMessage(service, error)}, and LATCHKEY_REQUIRE_SERVICES=1 requires it.`);
      });
    });
    return;
  }
  describe.skipIf(true)(title, suite);
}

/** A throwaway database and a Kysely instance on it. */
export interface TestDatabase {
  dialect: 'postgres' | 'mysql' | 'sqlite';
  db: Kysely<any>;
  /** Closes the Kysely instance and drops the database. */
  destroy(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Connections in the pool (PostgreSQL, MySQL): enough for concurrent callers to really race. Default 10. */
  poolSize?: number;
  /**
   * The session time zone of every connection (PostgreSQL `TimeZone`, e.g. `Pacific/Chatham`; MySQL
   * `time_zone` and mysql2's `timezone`, an offset such as `+05:45`), to prove that nothing depends on it.
   */
  timeZone?: string;
  /** More PostgreSQL settings for every connection (`-c key=value`), e.g. `default_transaction_isolation`. */
  pgSettings?: Record<string, string>;
  /** Statements run on every new MySQL connection, e.g. `set session transaction isolation level serializable`. */
  mysqlSessionSql?: string[];
}

function randomName(): string {
  return `lk_${randomBytes(6).toString('hex')}`;
}

/** A new schema on the PostgreSQL server, first on every pooled connection's `search_path`. */
export async function pgTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const url = serviceUrl('postgres');
  const schema = randomName();
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema "${schema}"`);
  const settings = { search_path: schema, ...(options.timeZone ? { TimeZone: options.timeZone } : {}), ...options.pgSettings };
  // libpq's options syntax: a space inside a value is escaped with a backslash.
  const serverOptions = Object.entries(settings).map(([key, value]) => `-c ${key}=${value.replaceAll(' ', '\\ ')}`);
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, options: serverOptions.join(' ') });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    async destroy() {
      await db.destroy();
      await admin(`drop schema "${schema}" cascade`);
    },
  };
}

/** A new database on the MySQL/MariaDB server (with the server's default character set). */
export async function mysqlTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const url = serviceUrl('mysql');
  const name = randomName();
  const admin = async (statement: string): Promise<void> => {
    const connection = createConnection({ uri: url }).promise();
    try {
      await connection.query(statement);
    } finally {
      await connection.end();
    }
  };
  await admin(`create database \`${name}\``);
  const uri = new URL(url);
  uri.pathname = `/${name}`;
  const pool = createPool({
    uri: uri.toString(),
    connectionLimit: options.poolSize ?? 10,
    ...(options.timeZone ? { timezone: options.timeZone } : {}),
  });
  const db = new Kysely<any>({
    dialect: new MysqlDialect({
      pool,
      async onCreateConnection(connection) {
        const zone = options.timeZone ? [`set time_zone = '${options.timeZone}'`] : [];
        for (const statement of [...zone, ...(options.mysqlSessionSql ?? [])]) {
          await connection.executeQuery(CompiledQuery.raw(statement));
        }
      },
    }),
  });
  return {
    dialect: 'mysql',
    db,
    async destroy() {
      await db.destroy();
      await admin(`drop database \`${name}\``);
    },
  };
}

export interface SqliteTestDatabaseOptions {
  /** A file in a new temp dir (removed by `destroy`) instead of `:memory:`. */
  file?: boolean;
  /** `PRAGMA foreign_keys` (better-sqlite3 turns it on; off proves nothing relies on it). Default true. */
  foreignKeys?: boolean;
  /** Through `sqliteGroupCommit` (in WAL mode, as deployed), on a file. */
  groupCommit?: boolean;
}

/** A SQLite database through better-sqlite3: one connection, which Kysely hands out under a mutex. */
export async function sqliteTestDatabase(options: SqliteTestDatabaseOptions = {}): Promise<TestDatabase> {
  const dir = options.file ? await mkdtemp(join(tmpdir(), 'latchkey-sqlite-')) : null;
  const sqlite = new Database(dir ? join(dir, 'latchkey.db') : ':memory:');
  sqlite.pragma(`foreign_keys = ${options.foreignKeys === false ? 'OFF' : 'ON'}`);
  // On a file, as deployed: statements cached. In memory: Kysely's own prepare-every-query path.
  const database = dir ? cachedStatements(sqlite) : sqlite;
  if (options.groupCommit) sqlite.pragma('journal_mode = WAL');
  const dialect = new SqliteDialect({ database });
  const db = new Kysely<any>({ dialect: options.groupCommit ? sqliteGroupCommit(dialect) : dialect });
  return {
    dialect: 'sqlite',
    db,
    async destroy() {
      await db.destroy();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `describe(title, suite)` when a program the suite runs itself can run here (`missing` is null);
 * otherwise one failing test under `LATCHKEY_REQUIRE_SERVICES=1`, or a skip with the reason printed.
 * `missing` says why it cannot, and which package has it; `needs` names the program in the failure.
 */
export function describeWithProgram(title: string, needs: string, missing: string | null, suite: () => void): void {
  if (missing === null) {
    describe(title, suite);
    return;
  }
  const why = `[latchkey] ${missing}`;
  if (servicesRequired()) {
    describe(title, () => {
      it(`runs ${needs}`, () => {
        throw new Error(`${why}, and LATCHKEY_REQUIRE_SERVICES=1 requires it.`);
      });
    });
    return;
  }
  console.warn(`${why}: skipping the suite "${title}" (set LATCHKEY_REQUIRE_SERVICES=1 to fail instead)`);
  describe.skip(title, suite);
}
