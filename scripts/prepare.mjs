// `npm install` / `npm ci` in the latchkey repository: builds dist/ (not for `npm pack` or `npm publish`,
// whose prepack builds it), and links the `latchkey` command into node_modules/.bin, so that
// `npx latchkey …` runs this checkout's CLI, as it does in an app that installed the package.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!['pack', 'publish'].includes(process.env.npm_command ?? '')) {
  const { status } = spawnSync(process.execPath, [process.env.npm_execpath, 'run', 'build'], { stdio: 'inherit', cwd: root });
  if (status !== 0) process.exit(status ?? 1);
}

const bins = join(root, 'node_modules', '.bin');
if (existsSync(join(root, 'node_modules'))) {
  mkdirSync(bins, { recursive: true });
  const link = join(bins, 'latchkey');
  rmSync(link, { force: true });
  symlinkSync(relative(bins, join(root, 'bin', 'latchkey.mjs')), link);
}
