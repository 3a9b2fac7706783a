import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { servicesRequired } from '../support/services.js';
import { APPS, consumerFiles, TSCONFIGS, tsconfigFile, type Entry } from './consumer-project.js';

/**
 * The package as a user gets it. The repository's files (what a fresh clone holds: tracked and
 * not-ignored files, so no `dist/`) are copied to a temp dir and packed there with `npm pack`, whose
 * `prepack` script builds `dist/`; the tarball is installed into a new project outside the repository,
 * next to the peers the checks need (the versions this repository has installed, so npm finds them in
 * its cache). Then: every public entry loads with `import` and `require` (`latchkey/testing` is
 * ESM-only), a consumer file type-checks under `--strict` with `moduleResolution` node16, bundler and
 * the old node (and a CommonJS one with nodenext), the `latchkey` command migrates a SQLite file, and Express (ESM and CommonJS), Hono and
 * Fastify apps written as the README says (SQLite through `latchkey/kysely` and better-sqlite3) register,
 * log in and protect a route of their own.
 *
 * `LATCHKEY_PACK_TARBALL=<file.tgz>` checks that tarball instead of packing one, and `LATCHKEY_PACK_KEEP=1`
 * keeps the temp dir (the tarball and the project) to look into a failure. When npm needs the registry
 * and cannot reach it, the suite is skipped with a message, or fails with `LATCHKEY_REQUIRE_SERVICES=1` (CI).
 */

const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, unknown>>;
};

/** Every public import path, and whether it has a CommonJS build (an entry without `require` is ESM-only). */
const ENTRIES: Entry[] = Object.entries(manifest.exports)
  .filter(([subpath]) => subpath !== './package.json')
  .map(([subpath, target]) => ({
    specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
    cjs: typeof target === 'object' && 'require' in target,
  }));

/**
 * What the checks import besides latchkey: each entry's peers, and TypeScript with the types the consumer
 * file needs. Installed at the versions in this repository's node_modules, which npm has cached.
 */
const PEERS = [
  'express',
  'better-sqlite3',
  'kysely',
  'fastify',
  'hono',
  '@hono/node-server',
  'nodemailer',
  'vitest',
  'typescript',
  '@types/node',
  '@types/express',
];

/** The files a published package may hold at its top level. */
const SHIPPED_TOP_LEVEL = new Set(['package.json', 'README.md', 'LICENSE', 'dist', 'bin', 'docs']);

const MINUTE = 60_000;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after `timeout` ms); never throws on a non-zero exit. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 2 * MINUTE);
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The environment of every command: no NODE_ENV from vitest, no npm config of the test run's own npm. */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', ...extra };
  delete env.NODE_ENV;
  for (const name of Object.keys(env)) if (name.startsWith('npm_package_') || name === 'npm_lifecycle_event') delete env[name];
  return env;
}

function output(result: Result): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`;
}

/** A failed `npm install` that is about reaching the registry, not about the package. */
const NETWORK_ERROR = /\b(ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT)\b/;

/** What a fresh clone holds: the tracked files and the new ones git does not ignore (so no dist/). */
async function copyCheckout(to: string): Promise<void> {
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  if (listed.code !== 0) throw new Error(`git ls-files failed (the pack test copies a git checkout):\n${output(listed)}`);
  const files = [...new Set(listed.stdout.split('\0').filter(Boolean))];
  for (const file of files) {
    const from = join(root, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet in the index
    await mkdir(dirname(join(to, file)), { recursive: true });
    await copyFile(from, join(to, file));
  }
  // The build's tools (tsup, TypeScript) are this checkout's devDependencies.
  await symlink(join(root, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/** The installed version of a package in this repository, so that npm takes it from its cache. */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

interface Packed {
  tarball: string;
  /** The tarball's files, relative to the package root. */
  files: string[];
}

async function pack(work: string): Promise<Packed> {
  const given = process.env.LATCHKEY_PACK_TARBALL;
  if (given) {
    const tarball = resolve(given);
    const listed = await run('tar', ['-tzf', tarball], { cwd: work });
    if (listed.code !== 0) throw new Error(`cannot read ${tarball}:\n${output(listed)}`);
    return { tarball, files: listed.stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')) };
  }
  const source = join(work, 'source');
  await copyCheckout(source);
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: source, timeout: 6 * MINUTE });
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${output(packed)}`);
  // The prepack build's output comes first; the JSON array starts on a line of its own.
  const json = /^\[$/m.exec(packed.stdout);
  if (!json) throw new Error(`npm pack printed no JSON:\n${output(packed)}`);
  const [info] = JSON.parse(packed.stdout.slice(json.index)) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(work, basename(info!.filename)), files: info!.files.map((f) => f.path) };
}

let work: string | undefined;
let app: string;
let packed: Packed;
/** Why the suite is skipped (npm could not reach the registry), or null. */
let skipped: string | null = null;

function skipIfUnavailable(context: TestContext): void {
  if (skipped) context.skip(skipped);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'latchkey-pack-'));
  if (!relative(root, work).startsWith('..')) throw new Error(`the temp dir ${work} is inside the repository: set TMPDIR elsewhere`);
  packed = await pack(work);

  app = join(work, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'latchkey-consumer', private: true, type: 'module' }, null, 2));
  const install = await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', packed.tarball, ...PEERS.map((name) => `${name}@${installedVersion(name)}`)],
    { cwd: app, timeout: 8 * MINUTE },
  );
  if (install.code !== 0) {
    const network = NETWORK_ERROR.exec(install.stdout + install.stderr);
    if (!network) throw new Error(`npm install of the packed tarball failed:\n${output(install)}`);
    const message = `[latchkey] npm could not reach the registry to install the packed tarball and its peers (${network[1]}; not all of them are in the npm cache)`;
    if (servicesRequired()) throw new Error(`${message}, and LATCHKEY_REQUIRE_SERVICES=1 requires it.\n${output(install)}`);
    console.warn(`${message}: skipping the package tests (set LATCHKEY_REQUIRE_SERVICES=1 to fail instead)`);
    skipped = `npm could not reach the registry (${network[1]})`;
    return;
  }

  for (const [file, source] of Object.entries(consumerFiles(ENTRIES))) await writeFile(join(app, file), source);
}, 15 * MINUTE);

afterAll(async () => {
  if (work && process.env.LATCHKEY_PACK_KEEP) console.warn(`[latchkey] LATCHKEY_PACK_KEEP: the packed project stays in ${work}`);
  else if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed package, installed in a new project', () => {
  it('ships the build of every entry, the command, the README and the docs, and nothing else', () => {
    const shipped = new Set(packed.files);
    const targets = JSON.stringify(manifest.exports).match(/\.\/dist\/[^"]+/g) ?? [];
    expect(targets.length).toBeGreaterThan(ENTRIES.length);
    for (const target of [...targets, ...Object.values(manifest.bin)]) {
      expect(shipped, `the tarball lacks ${target}`).toContain(target.replace(/^\.\//, ''));
    }
    expect(shipped).toContain('dist/cli.js');
    expect(shipped).toContain('README.md');
    expect([...shipped].filter((file) => !SHIPPED_TOP_LEVEL.has(file.split('/')[0]!))).toEqual([]);
  });

  it('loads every entry with import', async (context) => {
    skipIfUnavailable(context);
    const result = await run('node', ['esm.mjs'], { cwd: app });
    expect(result.code, output(result)).toBe(0);
    const loaded = JSON.parse(result.stdout) as Record<string, string[]>;
    for (const { specifier } of ENTRIES) expect(loaded[specifier]?.length, specifier).toBeGreaterThan(0);
    expect(loaded.latchkey).toContain('createAuth');
  });

  it('loads every entry with require, except the ESM-only latchkey/testing', async (context) => {
    skipIfUnavailable(context);
    const result = await run('node', ['cjs.cjs'], { cwd: app });
    expect(result.code, output(result)).toBe(0);
    const loaded = JSON.parse(result.stdout) as Record<string, string[] | string>;
    for (const { specifier, cjs } of ENTRIES) {
      if (cjs) expect(Array.isArray(loaded[specifier]) && loaded[specifier].length > 0, `${specifier}: ${String(loaded[specifier])}`).toBe(true);
      else expect(loaded[specifier]).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    }
    expect(ENTRIES.filter((e) => !e.cjs).map((e) => e.specifier)).toEqual(['latchkey/testing']);
    expect(loaded.latchkey).toContain('createAuth');
  });

  it.for(Object.keys(TSCONFIGS))('type-checks a consumer with tsc --strict, moduleResolution %s', { timeout: 2 * MINUTE }, async (name, context) => {
    skipIfUnavailable(context);
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run('node', [tsc, '-p', tsconfigFile(name)], { cwd: app });
    expect(result.code, output(result)).toBe(0);
  });

  it('runs the latchkey command: migrate on a SQLite file', async (context) => {
    skipIfUnavailable(context);
    const result = await run('npx', ['--no-install', 'latchkey', 'migrate', '--url', 'sqlite:./cli.sqlite'], { cwd: app });
    expect(result.code, output(result)).toBe(0);
    expect(existsSync(join(app, 'cli.sqlite'))).toBe(true);
  });

  it.for(Object.keys(APPS))(
    '%s: an app on SQLite registers, logs in and protects its own route',
    { timeout: MINUTE },
    async (file, context) => {
      skipIfUnavailable(context);
      const env = childEnv({ NODE_ENV: 'production', DB_FILE: join(app, `${file}.sqlite`), LATCHKEY_SECRET: randomBytes(32).toString('base64url') });
      const child = spawn('node', [file], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      try {
        const port = await new Promise<string>((done, fail) => {
          let stdout = '';
          child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            const match = /listening on (\d+)/.exec(stdout);
            if (match) done(match[1]!);
          });
          void exited.then((code) => fail(new Error(`the app exited (${code}) before listening:\n${stdout}\n${stderr}`)));
        });
        const base = `http://127.0.0.1:${port}`;
        const post = (path: string, body: unknown) =>
          fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const credentials = { email: 'grace@example.com', password: 'a long enough passphrase' };

        expect((await post('/auth/accounts', credentials)).status).toBe(201);
        const login = await post('/auth/login', credentials);
        expect(login.status).toBe(200);
        const { accessToken } = (await login.json()) as { accessToken: string };

        const mine = await fetch(`${base}/api/notes`, { headers: { authorization: `Bearer ${accessToken}` } });
        expect(mine.status).toBe(200);
        expect(await mine.json()).toEqual({ owner: 'grace@example.com', notes: [] });
        expect((await fetch(`${base}/api/notes`)).status).toBe(401);
        expect((await fetch(`${base}/api/notes`, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
      expect(stderr).not.toMatch(/^\s+at /m);
    },
  );
});
