import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Where the demo keeps its development secret, inside its data directory. */
export const DEV_SECRET_FILE = 'dev-secret';

/** latchkey's minimum secret length. */
const MIN_LENGTH = 32;

export interface ExampleSecret {
  secret: string;
  /** `env` (LATCHKEY_SECRET), `file` (kept in `<dataDir>/dev-secret`) or `ephemeral` (this run only). */
  source: 'env' | 'file' | 'ephemeral';
}

/**
 * The demo's secret: `LATCHKEY_SECRET` when set. Otherwise a random development secret, made once and
 * kept in `<dataDir>/dev-secret` (mode 0600), so that a restart keeps tokens and signing keys valid (the
 * private signing keys in the database are sealed with a key derived from the secret); with
 * `persist: false` (memory storage, nothing on disk) it lives for this run only. Either way a loud
 * warning says it is for development only. The secret itself is never printed.
 *
 * @throws Error when the kept file holds fewer than 32 characters
 */
export async function exampleSecret(options: {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  persist: boolean;
  warn: (line: string) => void;
}): Promise<ExampleSecret> {
  const { env, dataDir, persist, warn } = options;
  if (env.LATCHKEY_SECRET) return { secret: env.LATCHKEY_SECRET, source: 'env' };

  if (!persist) {
    banner(warn, [
      'LATCHKEY_SECRET is not set: using a random DEVELOPMENT secret for this run only.',
      'Tokens and signing keys die when the server stops.',
    ]);
    return { secret: newSecret(), source: 'ephemeral' };
  }

  const file = join(dataDir, DEV_SECRET_FILE);
  const shown = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file);
  let secret = await readSecret(file);
  const created = secret === null;
  if (secret === null) {
    await mkdir(dataDir, { recursive: true });
    try {
      // `wx`: two servers starting at once on one data dir must not each write their own secret.
      await writeFile(file, `${newSecret()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    secret = (await readSecret(file)) ?? '';
  }
  if (secret.length < MIN_LENGTH) {
    throw new Error(`${shown} holds fewer than ${MIN_LENGTH} characters: delete it to make a new development secret.`);
  }
  const lines = [
    `LATCHKEY_SECRET is not set: using the DEVELOPMENT secret ${created ? 'just created in' : 'kept in'} ${shown}.`,
    'It is for development only: anyone who can read that file can forge access tokens.',
  ];
  if (((await stat(file)).mode & 0o077) !== 0) lines.push(`${shown} is readable by other users: chmod 600 it.`);
  banner(warn, lines);
  return { secret, source: 'file' };
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

function banner(warn: (line: string) => void, lines: string[]): void {
  const rule = '[example] ' + '!'.repeat(90);
  warn(rule);
  for (const line of lines) warn(`[example] ${line}`);
  warn('[example] In any real deployment set LATCHKEY_SECRET to 32+ random characters (openssl rand -base64 32).');
  warn(rule);
}
