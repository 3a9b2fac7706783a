import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { entries } from '../../tsup.config.js';

const FRAMEWORKS_AND_DRIVERS = ['hono', '@hono/node-server', 'express', 'fastify', 'kysely', 'pg', 'mysql2', 'better-sqlite3', 'ioredis', 'redis', 'nodemailer'];

/** The bare packages an entry pulls in at load time, followed through every relative import. */
async function packagesLoadedBy(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports);
  return [...new Set(imports.filter((i) => i.external).map((i) => i.path))];
}

describe('package entry points', () => {
  it('importing the core loads no framework and no database driver', async () => {
    const loaded = await packagesLoadedBy(entries.index);
    expect(loaded.filter((p) => FRAMEWORKS_AND_DRIVERS.some((f) => p === f || p.startsWith(`${f}/`)))).toEqual([]);
    expect(loaded).toContain('jose');
  });

  it.each([
    ['hono', ['hono']],
    ['express', ['express']],
    ['fastify', ['fastify']],
    ['kysely', ['kysely']],
    ['smtp', ['nodemailer']],
  ] as const)('latchkey/%s loads only its own framework', async (name, allowed) => {
    const loaded = await packagesLoadedBy(entries[name]);
    const frameworks = loaded.filter((p) => FRAMEWORKS_AND_DRIVERS.some((f) => p === f || p.startsWith(`${f}/`)));
    expect(frameworks.every((p) => allowed.some((a) => p === a || p.startsWith(`${a}/`)))).toBe(true);
  });
});
