// Bundles the demo web app (src/main.ts and @simplewebauthn/browser) into dist/app.js with esbuild.
// `npm run build:web` runs it; the example servers call buildWebApp() on start, so `npm start` on a
// fresh clone serves a bundle of the current sources.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the bundle goes unless told otherwise (git-ignored). */
export const BUNDLE_FILE = fileURLToPath(new URL('./dist/app.js', import.meta.url));

const ENTRY = fileURLToPath(new URL('./src/main.ts', import.meta.url));

/**
 * Bundles the web app into one ES module for browsers.
 *
 * @param {{ outfile?: string, minify?: boolean }} [options]
 * @returns {Promise<{ outfile: string }>}
 */
export async function buildWebApp(options = {}) {
  const outfile = options.outfile ?? BUNDLE_FILE;
  await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: options.minify ?? false,
    charset: 'utf8',
    legalComments: 'inline',
    logLevel: 'warning',
  });
  return { outfile };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { outfile } = await buildWebApp({ minify: process.argv.includes('--minify') });
  console.log(`[web] bundled ${outfile}`);
}
