#!/usr/bin/env node
// The `latchkey` command. A published package runs the build (dist/cli.js); inside the latchkey
// repository without a build, it runs the TypeScript source through tsx (a devDependency).
import { existsSync } from 'node:fs';

// `latchkey migrate --dry-run | head` closes the pipe early: the rest of the output is not wanted, but
// the command must still finish what it is doing (and not crash with EPIPE).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const built = new URL('../dist/cli.js', import.meta.url);
let cli;
if (existsSync(built)) {
  cli = await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
