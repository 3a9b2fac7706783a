import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { connectDatabase, parseDatabaseUrl } from '../../src/cli/connect.js';
import { redactUrl } from '../../src/cli/redact-url.js';
import type { Storage } from '../../src/core/ports.js';
import { kyselyStorage, migrate } from '../../src/kysely.js';
import { memoryStorage } from '../../src/memory.js';

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
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite' && target.file !== ':memory:') await prepareSqliteFile(target.file, warn);
  const connection = await connectDatabase(url);
  try {
    const { applied } = await migrate(connection.db);
    const where = target.dialect === 'sqlite' ? `SQLite at ${displayPath(target.file)}` : redactUrl(url);
    return {
      storage: kyselyStorage(connection.db),
      description: applied.length > 0 ? `${where} (created latchkey's tables: ${applied.join(', ')})` : where,
      persistent: !(target.dialect === 'sqlite' && target.file === ':memory:'),
      close: connection.close,
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
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
