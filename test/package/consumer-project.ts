/**
 * The files of the project test/package/pack.test.ts installs the packed tarball into: a TypeScript
 * consumer of every entry with a tsconfig per module resolution, and small apps on SQLite, one per
 * framework, written as the README says.
 */

/** A public import path of the package, and whether it has a CommonJS build. */
export interface Entry {
  specifier: string;
  cjs: boolean;
}

/**
 * Every file of the consumer project but its package.json: `esm.mjs` and `cjs.cjs` print the export
 * names of every entry (or, for `require`, the error code), `check.ts` and `check-cjs.cts` with their
 * tsconfigs, and the apps.
 */
export function consumerFiles(entries: Entry[]): Record<string, string> {
  const specifiers = JSON.stringify(entries.map((e) => e.specifier));
  const files: Record<string, string> = {
    'esm.mjs':
      `const loaded = {};\nfor (const name of ${specifiers}) loaded[name] = Object.keys(await import(name)).sort();\n` +
      'console.log(JSON.stringify(loaded));\n',
    'cjs.cjs':
      `const loaded = {};\nfor (const name of ${specifiers}) {\n` +
      '  try { loaded[name] = Object.keys(require(name)).sort(); } catch (error) { loaded[name] = error.code || String(error); }\n' +
      '}\nconsole.log(JSON.stringify(loaded));\n',
    'check.ts': consumerSource(entries),
    'check-cjs.cts': cjsConsumerSource(entries),
    ...APPS,
  };
  for (const [name, { files: checked, ...options }] of Object.entries(TSCONFIGS)) {
    const compilerOptions = { ...options, target: 'es2022', strict: true, esModuleInterop: true, noEmit: true, skipLibCheck: false, types: ['node'] };
    files[tsconfigFile(name)] = JSON.stringify({ compilerOptions, files: checked }, null, 2);
  }
  return files;
}

/**
 * One import per entry, and a little typed use of the core, Kysely storage, and each framework's mount
 * and guard as the README shows them.
 */
function consumerSource(entries: Entry[]): string {
  return [
    ...entries.map((entry, i) => `import * as entry${i} from '${entry.specifier}';`),
    "import express from 'express';",
    "import type { Kysely } from 'kysely';",
    "import { createAuth, isAuthError, type Auth } from 'latchkey';",
    "import { createAuthRouter, requireAuth } from 'latchkey/express';",
    "import { kyselyStorage } from 'latchkey/kysely';",
    "import { memoryStorage } from 'latchkey/memory';",
    "import Fastify from 'fastify';",
    "import { Hono } from 'hono';",
    "import { createAuthPlugin, requireAuth as fastifyGuard } from 'latchkey/fastify';",
    "import { createAuthApp, requireAuth as honoGuard, type AuthVariables } from 'latchkey/hono';",
    '',
    `export const entries: object[] = [${entries.map((_, i) => `entry${i}`).join(', ')}];`,
    "export const auth: Auth = createAuth({ storage: memoryStorage(), secret: 'a consumer secret of 32+ characters' });",
    'export const onDatabase = (db: Kysely<any>): Auth => createAuth({ storage: kyselyStorage(db), secret: process.env.SECRET });',
    'export async function accessToken(email: string, password: string): Promise<string | null> {',
    '  try {',
    '    const tokens = await auth.login({ email, password });',
    "    return 'accessToken' in tokens ? tokens.accessToken : null;",
    '  } catch (error) {',
    '    if (isAuthError(error)) return error.code;',
    '    throw error;',
    '  }',
    '}',
    'const app = express();',
    "app.use('/auth', createAuthRouter(auth));",
    "app.get('/me', requireAuth(auth), (req, res) => {",
    '  res.json({ id: req.auth?.account.id });',
    '});',
    'const hono = new Hono<{ Variables: AuthVariables }>();',
    "hono.route('/auth', createAuthApp(auth));",
    "hono.get('/me', honoGuard(auth), (c) => c.json({ id: c.get('auth').account.id }));",
    'export async function fastifyApp(): Promise<unknown> {',
    '  const app = Fastify();',
    "  await app.register(createAuthPlugin(auth), { prefix: '/auth' });",
    "  app.get('/me', { preHandler: fastifyGuard(auth) }, async (req) => ({ id: req.auth?.account.id }));",
    '  return app;',
    '}',
    '',
  ].join('\n');
}

/** The same in a CommonJS file (`.cts`, compiled to `require`), for the entries that have a CJS build. */
function cjsConsumerSource(entries: Entry[]): string {
  return [
    ...entries.filter((e) => e.cjs).map((entry, i) => `import * as entry${i} from '${entry.specifier}';`),
    "import { createAuth, type Auth } from 'latchkey';",
    "import { memoryStorage } from 'latchkey/memory';",
    '',
    `export const entries: object[] = [${entries.filter((e) => e.cjs).map((_, i) => `entry${i}`).join(', ')}];`,
    "export const auth: Auth = createAuth({ storage: memoryStorage(), secret: 'a consumer secret of 32+ characters' });",
    '',
  ].join('\n');
}

/**
 * tsconfig files for each module resolution, all strict, checking latchkey's declarations too
 * (`skipLibCheck: false`). The CommonJS consumer is checked with `nodenext`: latchkey's CommonJS build
 * requires jose, which is ESM-only, so it needs Node's `require(esm)` (Node 20.19+), which TypeScript
 * models from `module: node20`/`nodenext` on; under `node16` a `.cts` file gets TS1479 from the `.d.cts`.
 */
export const TSCONFIGS = {
  node16: { module: 'node16', moduleResolution: 'node16', files: ['check.ts'] },
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['check.ts'] },
  node: { module: 'commonjs', moduleResolution: 'node', files: ['check.ts'] },
  'nodenext, from CommonJS': { module: 'nodenext', moduleResolution: 'nodenext', files: ['check-cjs.cts'] },
} as const;

export function tsconfigFile(name: string): string {
  return `tsconfig.${name.replace(/\W+/g, '-')}.json`;
}

/** latchkey on SQLite, as the README and docs/storage.md set it up: the same in every app below. */
const SQLITE_AUTH = `
const sqlite = new Database(process.env.DB_FILE);
sqlite.pragma('journal_mode = WAL');
const db = new Kysely({ dialect: new SqliteDialect({ database: cachedStatements(sqlite) }) });
await migrate(db);
const auth = createAuth({ storage: kyselyStorage(db), secret: process.env.LATCHKEY_SECRET });
`;

const SQLITE_IMPORTS = `import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createAuth } from 'latchkey';
import { cachedStatements, kyselyStorage, migrate } from 'latchkey/kysely';
`;

const EXPRESS_APP = `
const app = express();
app.use('/auth', createAuthRouter(auth));
app.get('/api/notes', requireAuth(auth), (req, res) => {
  res.json({ owner: req.auth.account.email.address, notes: [] });
});
const server = app.listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port));
process.on('SIGTERM', () => server.close(() => db.destroy().then(() => process.exit(0))));
`;

/**
 * Apps written as the README's "Five minutes with your framework" says, each with a route of its own
 * (`GET /api/notes`) behind latchkey's guard: Express as an ES module and as CommonJS, Hono and Fastify.
 * Each prints `listening on <port>` (an ephemeral port) and stops on SIGTERM.
 */
export const APPS = {
  'express.mjs': `import express from 'express';
import { createAuthRouter, requireAuth } from 'latchkey/express';
${SQLITE_IMPORTS}${SQLITE_AUTH}${EXPRESS_APP}`,
  'express.cjs': `const express = require('express');
const Database = require('better-sqlite3');
const { Kysely, SqliteDialect } = require('kysely');
const { createAuth } = require('latchkey');
const { cachedStatements, kyselyStorage, migrate } = require('latchkey/kysely');
const { createAuthRouter, requireAuth } = require('latchkey/express');
(async () => {${SQLITE_AUTH}${EXPRESS_APP}})();
`,
  'hono.mjs': `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { createAuthApp, requireAuth } from 'latchkey/hono';
${SQLITE_IMPORTS}${SQLITE_AUTH}
const app = new Hono();
app.route('/auth', createAuthApp(auth));
app.get('/api/notes', requireAuth(auth), (c) => c.json({ owner: c.get('auth').account.email.address, notes: [] }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log('listening on ' + info.port));
process.on('SIGTERM', () => server.close(() => db.destroy().then(() => process.exit(0))));
`,
  'fastify.mjs': `import Fastify from 'fastify';
import { createAuthPlugin, requireAuth } from 'latchkey/fastify';
${SQLITE_IMPORTS}${SQLITE_AUTH}
const app = Fastify();
await app.register(createAuthPlugin(auth), { prefix: '/auth' });
app.get('/api/notes', { preHandler: requireAuth(auth) }, async (req) => ({ owner: req.auth.account.email.address, notes: [] }));
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('listening on ' + app.server.address().port);
process.on('SIGTERM', () => app.close().then(() => db.destroy()).then(() => process.exit(0)));
`,
} as const;
