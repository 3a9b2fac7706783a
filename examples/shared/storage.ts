import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { connectDatabase, describeError, parseDatabaseUrl, type DatabaseTarget } from '../../src/cli/connect.js';
import { redactSecrets, redactUrl } from '../../src/cli/redact-url.js';
import type { Storage } from '../../src/core/ports.js';
import { kyselyStorage, migrate } from '../../src/kysely.js';
import { memoryStorage } from '../../src/memory.js';
import { ExampleStartError } from './mode.js';

/** The storage an example serves, what to call it in the start-up banner, and how to close it. */
export interface ExampleStorage {
  storage: Storage;
  /** `SQLite at data/latchkey.sqlite`, the URL with its password masked, or memory. */
  description: string;
  /** Whether anything survives a restart (false for `memory:`). */
  persistent: boolean;
  close(): Promise<void>;
}

/** The `DATABASE_URL` that keeps everything in the process. */
export const MEMORY_URL = 'memory:';

/**
 * Opens `databaseUrl` and brings latchkey's tables up to date: SQLite at `<dataDir>/latchkey.sqlite`
 * when it is unset, `postgres://…` or `mysql://…` for a server, `memory:` for nothing on disk. A SQLite
 * file the demo creates is mode 0600 in a directory made 0700 (see {@link prepareSqliteFile}).
 *
 * @throws ExampleStartError when the URL is bad or the database cannot be opened, reached or migrated:
 *   one line with the database's own reason and the URL with its password masked
 */
export async function openExampleStorage(
  databaseUrl: string | undefined,
  dataDir: string,
  warn: (line: string) => void = () => {},
): Promise<ExampleStorage> {
  const url = databaseUrl?.trim() || `sqlite:${join(dataDir, 'latchkey.sqlite')}`;
  if (url === MEMORY_URL) {
    return {
      storage: memoryStorage(),
      description: 'memory: accounts and sessions live in this process and are lost when it stops',
      persistent: false,
      close: async () => {},
    };
  }
  const defaultFile = displayPath(join(dataDir, 'latchkey.sqlite'));
  const fail = (message: string, cause: unknown) => databaseStartError(message, cause, url, databaseUrl?.trim() ? defaultFile : null);
  let target: DatabaseTarget;
  try {
    target = parseDatabaseUrl(url);
  } catch (error) {
    throw fail(describeError(error), error);
  }
  const where = target.dialect === 'sqlite' ? `SQLite at ${displayPath(target.file)}` : redactUrl(url);
  if (target.dialect === 'sqlite' && target.file !== ':memory:') {
    await prepareSqliteFile(target.file, warn).catch((error: unknown) => {
      throw fail(`Cannot create the database file for ${where}: ${describeError(error)}`, error);
    });
  }
  // Its message already reads "Cannot connect to <the URL, password masked>: <the driver's reason>".
  const connection = await connectDatabase(url).catch((error: unknown) => {
    throw fail(describeError(error), error);
  });
  try {
    const { applied } = await migrate(connection.db);
    return {
      storage: kyselyStorage(connection.db),
      description: applied.length > 0 ? `${where} (created latchkey's tables: ${applied.join(', ')})` : where,
      persistent: !(target.dialect === 'sqlite' && target.file === ':memory:'),
      close: connection.close,
    };
  } catch (error) {
    await connection.close();
    throw fail(`Cannot create latchkey's tables in ${where}: ${describeError(error)}`, error);
  }
}

/**
 * A database that will not open stops the demo with one line (the operator's to fix, not a bug): the
 * reason, with every secret of the URL masked, even in a URL too malformed to parse, and what to check.
 * `defaultFile`: where SQLite goes without `DATABASE_URL`, or null when `DATABASE_URL` is unset.
 */
function databaseStartError(message: string, cause: unknown, url: string, defaultFile: string | null): ExampleStartError {
  let masked = redactSecrets(message, url);
  // redactSecrets cannot take apart a URL that does not parse: mask its `scheme://user:password@` by hand.
  const password = /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:(\S*)@/i.exec(url)?.[1];
  if (password) masked = masked.replaceAll(password, '***');
  masked = masked.replace(/\s*\n\s*/g, ' ').trim();
  const hint = defaultFile
    ? `Check DATABASE_URL, or unset it to use SQLite at ${defaultFile}.`
    : 'DATABASE_URL is unset, so the demo uses this SQLite file: make its directory writable, or set DATABASE_URL.';
  return new ExampleStartError(`${masked}${/[.!?)]$/.test(masked) ? '' : '.'} ${hint}`, { cause });
}

/**
 * Creates a missing SQLite file empty, mode 0600, with any missing directory above it made 0700, before
 * SQLite opens it: SQLite would create it with the process's umask (0644, readable by every local user),
 * and its `-wal` and `-shm` files take the database file's mode. A file that exists is left as it is,
 * with a warning when other users can read it.
 */
export async function prepareSqliteFile(file: string, warn: (line: string) => void): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await (await open(file, 'wx', 0o600)).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (((await stat(file)).mode & 0o077) !== 0) warn(`[example] ${displayPath(file)} is readable by other users: chmod 600 it.`);
  }
}

/** A path under the working directory reads better relative (`data/latchkey.sqlite`). */
function displayPath(file: string): string {
  if (file === ':memory:') return 'memory (:memory:)';
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
