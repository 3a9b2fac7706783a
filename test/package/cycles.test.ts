import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/** The part of madge's API used here (madge ships no types). */
interface MadgeResult {
  /** Each file (relative to `src/`) with the files it imports. */
  obj(): Record<string, string[]>;
  /** Each cycle as the files along it, the first not repeated at the end. */
  circular(): string[][];
  warnings(): { skipped: string[] };
}
type Madge = (path: string, config: Record<string, unknown>) => Promise<MadgeResult>;

const madge = createRequire(import.meta.url)('madge') as Madge;
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');
let graph: MadgeResult;

/**
 * Type-only imports count (`skipTypeImports: false`). They vanish at runtime, so they cannot leave a
 * module half-initialised, but they still tie two files together: neither can move, split or be
 * understood without the other, and one edit turns a type import into a value import. Both cycles this
 * test was written against (core/context ↔ core/tokens/key-ring, and the three scrypt files) were made
 * of type imports only; with them skipped, madge sees no cycle at all.
 */
beforeAll(async () => {
  graph = await madge(src, {
    fileExtensions: ['ts'],
    tsConfig: join(root, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
});

describe('the import graph of src/', () => {
  it('has no cycles', () => {
    const cycles = graph.circular().map((cycle) => [...cycle, cycle[0]].join(' → '));
    expect(cycles).toEqual([]);
  });

  /**
   * "No cycles" means nothing if madge lost edges, for instance by failing to map our `./x.js`
   * specifiers to the `.ts` files: every relative specifier in src/ must appear as an edge.
   */
  it('is complete: every relative import, type-only and dynamic ones included, is an edge', () => {
    expect(graph.warnings().skipped).toEqual([]);
    const edges = graph.obj();
    const missing: string[] = [];
    let specifiers = 0;
    for (const [file, imports] of Object.entries(edges)) {
      const text = readFileSync(join(src, file), 'utf8');
      for (const [, specifier] of text.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        specifiers++;
        const target = posix.join(posix.dirname(file), specifier!).replace(/\.js$/, '.ts');
        if (!imports.includes(target)) missing.push(`${file} → ${specifier}`);
      }
    }
    expect(missing).toEqual([]);
    expect(specifiers).toBeGreaterThan(100);
  });
});
