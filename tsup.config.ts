import { defineConfig } from 'tsup';

/** One entry per public subpath; each is built with its .d.ts (`npm run build` empties dist first). */
export const entries = {
  index: 'src/index.ts',
  memory: 'src/memory.ts',
  adapters: 'src/adapters/index.ts',
  fetch: 'src/fetch.ts',
  hono: 'src/http/hono.ts',
  express: 'src/http/express.ts',
  fastify: 'src/http/fastify.ts',
  kysely: 'src/kysely.ts',
  smtp: 'src/smtp.ts',
  redis: 'src/redis.ts',
  /** The browser and Node client of the HTTP API: imports nothing of the server (test/client/browser-safe.test.ts). */
  client: 'src/client/index.ts',
  webhooks: 'src/webhooks.ts',
  testing: 'src/testing/index.ts',
  /** The `latchkey` command (bin/latchkey.mjs loads it); not an import path. */
  cli: 'src/cli/main.ts',
};

const { testing, cli, ...dual } = entries;

const shared = {
  dts: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
} as const;

/** `latchkey/testing` runs inside vitest, which is ESM-only, so it is built as ESM alone. */
export default defineConfig([
  { ...shared, entry: dual, format: ['esm', 'cjs'] },
  { ...shared, entry: { testing }, format: ['esm'] },
  /**
   * The CLI runs as an ES module from bin/latchkey.mjs; nothing imports its types. The drivers are the
   * app's (devDependencies here), loaded only for their kind of URL: never bundled.
   */
  { ...shared, dts: false, entry: { cli }, format: ['esm'], external: ['kysely', 'pg', 'mysql2', 'better-sqlite3'] },
]);
