import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { redactSecrets, redactUrl } from './redact-url.js';
import { cachedStatements } from '../adapters/storage/kysely/cached-statements.js';

/** The databases latchkey's storage runs on. */
export type DatabaseDialect = 'sqlite' | 'postgres' | 'mysql';

/** Where a database URL points. */
export type DatabaseTarget =
  | { dialect: 'postgres'; url: string }
  | { dialect: 'mysql'; url: string }
  /** `file` is absolute, or `:memory:`. */
  | { dialect: 'sqlite'; file: string };

/** An open database: a Kysely instance on it, and how to close it. */
export interface DatabaseConnection {
  db: Kysely<any>;
  dialect: DatabaseDialect;
  /** Closes the pool (or the SQLite file). Calling it again does nothing. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  /**
   * Change nothing on disk (for `--dry-run`): a SQLite file is opened read-only, and one that does not
   * exist yet is not created (an empty in-memory database stands in for it).
   */
  readOnly?: boolean;
}

const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * Reads a database URL: `postgres://` or `postgresql://` (PostgreSQL), `mysql://` or `mariadb://`
 * (MySQL/MariaDB), and for SQLite `sqlite:<path>`, `sqlite:///abs/path`, `file:<path>`, `file:///abs/path`,
 * a plain path, or `:memory:`. Relative paths are resolved against the working directory.
 *
 * @throws Error saying what is wrong with the URL (never repeating its password)
 *
 * @example
 * ```ts
 * parseDatabaseUrl('sqlite:./data/app.sqlite'); // { dialect: 'sqlite', file: '/srv/app/data/app.sqlite' }
 * parseDatabaseUrl('mariadb://app@db/app');      // { dialect: 'mysql', url: 'mysql://app@db/app' }
 * ```
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (trimmed === '') throw new Error('The database URL is empty.');
  if (trimmed === ':memory:') return { dialect: 'sqlite', file: ':memory:' };
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  switch (scheme) {
    case undefined:
      return { dialect: 'sqlite', file: resolve(trimmed) };
    case 'postgres':
    case 'postgresql':
      assertServerUrl(trimmed, 'PostgreSQL');
      return { dialect: 'postgres', url: trimmed };
    case 'mysql':
    case 'mariadb':
      assertServerUrl(trimmed, 'MySQL');
      // mysql2 reads only the parts of the URL; the scheme name is ours to normalise.
      return { dialect: 'mysql', url: trimmed.replace(SCHEME, 'mysql:') };
    case 'sqlite':
      return { dialect: 'sqlite', file: sqlitePath(trimmed.slice('sqlite:'.length).replace(/^\/\//, ''), url) };
    case 'file':
      if (trimmed.startsWith('file://')) {
        try {
          return { dialect: 'sqlite', file: fileURLToPath(trimmed) };
        } catch (error) {
          throw new Error(`Not a usable file URL: ${url} (${(error as Error).message}). Use file:///absolute/path or file:relative/path.`);
        }
      }
      return { dialect: 'sqlite', file: sqlitePath(trimmed.slice('file:'.length), url) };
    default:
      throw new Error(
        `Unsupported database URL scheme "${scheme}:" in ${redactUrl(trimmed)}. ` +
          'Use postgres://…, mysql://… (or mariadb://…), sqlite:<path>, file:<path>, a file path, or :memory:.',
      );
  }
}

function sqlitePath(path: string, url: string): string {
  if (path === ':memory:') return ':memory:';
  if (path === '') throw new Error(`No file in the SQLite URL ${url}: write sqlite:./data/app.sqlite or sqlite:///absolute/path.`);
  return resolve(path);
}

function assertServerUrl(url: string, label: string): void {
  try {
    new URL(url);
  } catch {
    throw new Error(`Not a valid ${label} URL: ${redactUrl(url)} (expected e.g. ${label === 'PostgreSQL' ? 'postgres' : 'mysql'}://user:password@host:port/database).`);
  }
}

/**
 * Opens a database URL (see {@link parseDatabaseUrl}) with Kysely and the driver it needs, and checks
 * that it answers. Each driver is loaded only when its kind of URL is used: `pg` for PostgreSQL,
 * `mysql2` for MySQL/MariaDB, `better-sqlite3` for SQLite, and `kysely` for all. The directory of a
 * SQLite file is created when missing; SQLite files use WAL journaling and foreign keys.
 *
 * PostgreSQL settings go in the URL, as libpq reads them: `?options=-c%20search_path%3Dmyschema` puts
 * latchkey's tables in `myschema`.
 *
 * @throws Error for a bad URL, a missing driver package (naming it), or a database that does not answer
 *   (the message masks the URL's password)
 *
 * @example
 * ```ts
 * const { db, close } = await connectDatabase(process.env.DATABASE_URL ?? 'sqlite:./data/app.sqlite');
 * await migrate(db);
 * // …
 * await close();
 * ```
 */
export async function connectDatabase(url: string, options: ConnectOptions = {}): Promise<DatabaseConnection> {
  const target = parseDatabaseUrl(url);
  const kysely = await load('kysely', 'latchkey’s SQL storage', () => import('kysely'));
  const db = await open(target, kysely, options);
  let closed: Promise<void> | undefined;
  const connection: DatabaseConnection = {
    db,
    dialect: target.dialect,
    close: () => (closed ??= db.destroy()),
  };
  try {
    await kysely.sql`select 1`.execute(db);
  } catch (error) {
    await connection.close().catch(() => {});
    const where = target.dialect === 'sqlite' ? target.file : redactUrl(target.url);
    throw new Error(redactSecrets(`Cannot connect to ${where}: ${describeError(error)}`, url), { cause: error });
  }
  return connection;
}

type KyselyModule = typeof import('kysely');

async function open(target: DatabaseTarget, kysely: KyselyModule, options: ConnectOptions): Promise<Kysely<any>> {
  switch (target.dialect) {
    case 'postgres': {
      const pg = interop(await load('pg', 'PostgreSQL', () => import('pg')));
      // A host that drops packets would otherwise hang for minutes before any message.
      const pool = new pg.Pool({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
      // An idle pooled connection that the server drops emits 'error' on the pool; unheard, it would end
      // the process. The pool replaces the connection, so saying so is enough.
      pool.on('error', (error) => console.error(`latchkey: an idle PostgreSQL connection failed: ${redactSecrets(error.message, target.url)}`));
      // A connection the server drops while it is checked out (a restart mid-request) emits 'error' on
      // its client too: the query in flight fails with it (503 unavailable), so the event needs no more.
      pool.on('connect', (client) => client.on('error', () => {}));
      return new kysely.Kysely<any>({ dialect: new kysely.PostgresDialect({ pool }) });
    }
    case 'mysql': {
      const mysql = interop(await load('mysql2', 'MySQL/MariaDB', () => import('mysql2')));
      const pool = mysql.createPool({ uri: target.url, connectTimeout: 10_000 });
      return new kysely.Kysely<any>({ dialect: new kysely.MysqlDialect({ pool }) });
    }
    case 'sqlite': {
      const Database = interop(await load('better-sqlite3', 'SQLite', () => import('better-sqlite3')));
      const memory = target.file === ':memory:' || (options.readOnly === true && !existsSync(target.file));
      if (!memory && !options.readOnly) await mkdir(dirname(target.file), { recursive: true });
      const sqlite = memory
        ? new Database(':memory:')
        : new Database(target.file, options.readOnly ? { readonly: true, fileMustExist: true } : {});
      if (!memory && !options.readOnly) sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      const dialect = new kysely.SqliteDialect({ database: cachedStatements(sqlite) });
      if (options.readOnly) return new kysely.Kysely<any>({ dialect });
      // A server's refreshes and sign-ins share their COMMITs (docs/storage.md). Loaded here, with Kysely.
      const { sqliteGroupCommit } = await import('../adapters/storage/kysely/group-commit.js');
      return new kysely.Kysely<any>({ dialect: sqliteGroupCommit(dialect) });
    }
  }
}

/** A CommonJS driver's exports, whether the loader put them on `default` or not. */
function interop<T>(module: T): T extends { default: infer D } ? D : T {
  const value = module as { default?: unknown };
  return (value.default ?? module) as T extends { default: infer D } ? D : T;
}

/** `import()` of an optional package, with an error that says what to install when it is missing. */
async function load<T>(name: string, purpose: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : '';
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(name)) {
      throw new Error(`${purpose} needs the "${name}" package, which is not installed. Run: npm install ${name}`, { cause: error });
    }
    throw error;
  }
}

/**
 * A one-line reason for `error`. Node's connection errors to several addresses (`localhost` is `::1`
 * and `127.0.0.1`) are an AggregateError without a message: its errors' messages are used instead.
 *
 * @example
 * ```ts
 * console.error(`cannot connect: ${describeError(error)}`);
 * ```
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    return [...new Set(error.errors.map(describeError))].join('; ') || 'AggregateError';
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
