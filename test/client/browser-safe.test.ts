import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { entries } from '../../tsup.config.js';

/**
 * `latchkey/client` runs in browsers: bundled for the browser, it pulls in no Node module (no `node:`
 * import, no Buffer or process) and no package but openapi-fetch; none of the server's code comes along.
 */

describe('latchkey/client in a browser bundle', () => {
  it('imports openapi-fetch alone, nothing from Node and nothing of the server', async () => {
    const result = await build({
      entryPoints: [entries.client],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'browser',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports);
    expect([...new Set(imports.map((i) => i.path))]).toEqual(['openapi-fetch']);
    expect(Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('src/client/'))).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\bBuffer\b|\bprocess\.|\brequire\(/);
  });
});
