import { join, relative } from 'node:path';
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
 * when it is unset, `postgres://…` or `mysql://…` for a server, `memory:` for nothing on disk.
 */
export async function openExampleStorage(databaseUrl: string | undefined, dataDir: string): Promise<ExampleStorage> {
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

/** A path under the working directory reads better relative (`data/latchkey.sqlite`). */
function displayPath(file: string): string {
  if (file === ':memory:') return 'memory (:memory:)';
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
