import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type ExampleMode, ExampleStartError } from './mode.js';

/** The development secret's file name, inside the secret directory (`./.latchkey` by default). */
export const DEV_SECRET_FILE = 'dev-secret';

/** latchkey's minimum secret length. */
const MIN_LENGTH = 32;

export interface ExampleSecret {
  secret: string;
  /** `env` (LATCHKEY_SECRET), `file` (kept in `<secretDir>/dev-secret`) or `ephemeral` (this run only). */
  source: 'env' | 'file' | 'ephemeral';
}

export interface ExampleSecretOptions {
  env: NodeJS.ProcessEnv;
  /** In production `LATCHKEY_SECRET` is required: no development secret is made or read. */
  mode: ExampleMode;
  /** Where the development secret is kept (created 0700 when missing). Not the database's directory. */
  secretDir: string;
  /** The database's directory, where earlier versions of the demo kept the secret (moved from there). */
  dataDir: string;
  /** False for memory storage: nothing goes to disk, and the secret lives for this run only. */
  persist: boolean;
  warn: (line: string) => void;
}

/**
 * The demo's secret: `LATCHKEY_SECRET` when set. In production there is no other: its absence stops the
 * start. In development, a random secret made once and kept in `<secretDir>/dev-secret` (mode 0600, its
 * directory 0700), so that a restart keeps tokens and signing keys valid (the private signing keys in the
 * database are sealed with a key derived from the secret). It is kept apart from the database, so that a
 * copy of the data directory is not also the key to it; a secret left in `<dataDir>/dev-secret` by an
 * earlier version is moved over when `<secretDir>` has none. With `persist: false` (memory storage,
 * nothing on disk) it lives for this run only. Either way a loud warning says it is for development only.
 * The secret itself is never printed.
 *
 * @throws ExampleStartError in production without `LATCHKEY_SECRET`, and when the kept file holds fewer
 *   than 32 characters
 */
export async function exampleSecret(options: ExampleSecretOptions): Promise<ExampleSecret> {
  const { env, mode, secretDir, dataDir, persist, warn } = options;
  if (env.LATCHKEY_SECRET) return { secret: env.LATCHKEY_SECRET, source: 'env' };
  if (mode === 'production') throw missingProductionSecret(env);

  if (!persist) {
    banner(warn, [
      'LATCHKEY_SECRET is not set: using a random DEVELOPMENT secret for this run only.',
      'Tokens and signing keys die when the server stops.',
    ]);
    return { secret: newSecret(), source: 'ephemeral' };
  }

  const file = join(secretDir, DEV_SECRET_FILE);
  const shown = displayPath(file);
  await mkdir(secretDir, { recursive: true, mode: 0o700 });
  const moved = await moveOldSecret(join(dataDir, DEV_SECRET_FILE), file);
  if (moved === 'moved') warn(`[example] moved the development secret from ${displayPath(join(dataDir, DEV_SECRET_FILE))} to ${shown}, away from the database.`);
  if (moved === 'left') warn(`[example] ${displayPath(join(dataDir, DEV_SECRET_FILE))} is no longer used (the secret is ${shown}): delete it.`);

  let secret = await readSecret(file);
  const created = secret === null;
  if (secret === null) {
    try {
      // `wx`: two servers starting at once must not each write their own secret.
      await writeFile(file, `${newSecret()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    secret = (await readSecret(file)) ?? '';
  }
  if (secret.length < MIN_LENGTH) {
    throw new ExampleStartError(`${shown} holds fewer than ${MIN_LENGTH} characters: delete it to make a new development secret.`);
  }
  const lines = [
    `LATCHKEY_SECRET is not set: using the DEVELOPMENT secret ${created ? 'just created in' : 'kept in'} ${shown}.`,
    'It is for development only: anyone who can read that file can forge access tokens.',
  ];
  if (((await stat(file)).mode & 0o077) !== 0) lines.push(`${shown} is readable by other users: chmod 600 it.`);
  banner(warn, lines);
  return { secret, source: 'file' };
}

/** The one line that stops a production start without `LATCHKEY_SECRET`. */
export function missingProductionSecret(env: NodeJS.ProcessEnv): ExampleStartError {
  return new ExampleStartError(
    `LATCHKEY_SECRET is not set: in production (NODE_ENV=${env.NODE_ENV}) the demo will not start without it. ` +
      'Set it to 32+ random characters (openssl rand -base64 32).',
  );
}

/**
 * Moves `from` to `to` (mode 0600) unless `to` exists: `moved`, `left` (both exist; `to` wins), or
 * `none` (no old file). A hard link then an unlink, so that two servers starting at once cannot both move it or clobber
 * `to`; a copy where hard links are refused (another file system).
 */
async function moveOldSecret(from: string, to: string): Promise<'moved' | 'left' | 'none'> {
  if (from === to) return 'none';
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'none';
    if (code === 'EEXIST') return (await exists(from)) ? 'left' : 'none';
    try {
      await copyFile(from, to, constants.COPYFILE_EXCL);
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') return 'left';
      throw copyError;
    }
  }
  await chmod(to, 0o600); // whatever the old file's mode was
  try {
    await unlink(from);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return 'moved';
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

async function readSecret(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** A path under the working directory reads better relative (`.latchkey/dev-secret`). */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function banner(warn: (line: string) => void, lines: string[]): void {
  const rule = '[example] ' + '!'.repeat(90);
  warn(rule);
  for (const line of lines) warn(`[example] ${line}`);
  warn('[example] In any real deployment set LATCHKEY_SECRET to 32+ random characters (openssl rand -base64 32).');
  warn(rule);
}
