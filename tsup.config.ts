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
  testing: 'src/testing/index.ts',
};

const { testing, ...dual } = entries;

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
]);
