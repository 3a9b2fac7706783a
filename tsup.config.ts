import { defineConfig } from 'tsup';

/** One entry per public subpath; each is built as ESM, CJS and .d.ts. */
export const entries = {
  index: 'src/index.ts',
  memory: 'src/memory.ts',
  adapters: 'src/adapters/index.ts',
  fetch: 'src/fetch.ts',
  hono: 'src/http/hono.ts',
  express: 'src/http/express.ts',
  fastify: 'src/http/fastify.ts',
  testing: 'src/testing/index.ts',
};

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
