import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
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
    // The app passes its own ioredis client: the entry loads no Redis driver at all.
    ['redis', []],
  ] as const)('latchkey/%s loads only its own framework', async (name, allowed) => {
    const loaded = await packagesLoadedBy(entries[name]);
    const frameworks = loaded.filter((p) => FRAMEWORKS_AND_DRIVERS.some((f) => p === f || p.startsWith(`${f}/`)));
    expect(frameworks.every((p) => allowed.some((a) => p === a || p.startsWith(`${a}/`)))).toBe(true);
  });

  it('latchkey/webhooks loads only @noble/hashes: no framework, driver or node: module, so receivers run anywhere', async () => {
    const loaded = await packagesLoadedBy(entries.webhooks);
    expect(loaded.filter((p) => !p.startsWith('@noble/hashes/'))).toEqual([]);
  });
});

/** Every `.ts` file below `dir`, as a path relative to the repository. */
function sourcesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** The relative imports (`import … from './x.js'`, `export … from`, `import('./x.js')`) of a source file, resolved. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => join(dirname(file), specifier));
}

/** `file → target` for every import of a file in `files` that lands below `dir`. */
function importsInto(files: string[], dir: string): string[] {
  return files.flatMap((file) =>
    relativeImports(file)
      .filter((target) => target.startsWith(join(dir) + sep))
      .map((target) => `${file} → ${target}`),
  );
}

describe('layers', () => {
  it('the core imports nothing from the adapters: defaults are chosen at the edge (src/create-auth.ts)', () => {
    expect(importsInto(sourcesBelow('src/core'), 'src/adapters')).toEqual([]);
  });

  it('the core imports nothing from the HTTP layer', () => {
    expect(importsInto(sourcesBelow('src/core'), 'src/http')).toEqual([]);
  });

  it('operations import downward: a feature folder holds operations only, and none imports another operation', () => {
    const features = ['accounts', 'groups', 'otp', 'recovery-codes', 'sessions', 'tokens', 'totp', 'two-factor', 'webauthn', 'webhooks'];
    const isFeatureFile = (path: string) => features.some((f) => path.startsWith(join('src/core', f) + sep));
    const operationFiles = sourcesBelow('src/core').filter(isFeatureFile);
    const notOperations = operationFiles.filter((file) => !/export const \w+Operation = \{/.test(readFileSync(file, 'utf8')));
    expect(notOperations).toEqual([]);
    const upward = [...operationFiles, ...sourcesBelow('src/core/internal'), ...sourcesBelow('src/core/lib')].flatMap((file) =>
      relativeImports(file)
        .filter(isFeatureFile)
        .map((target) => `${file} → ${target}`),
    );
    expect(upward).toEqual([]);
  });
});
