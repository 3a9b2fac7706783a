/**
 * latchkey vs Better Auth on PostgreSQL, two instances of each behind a round-robin proxy, and
 * latchkey's login and refresh latency with 1,000,000 accounts against an empty table.
 *   npm run bench:pg              (about 6 minutes: 3 rounds, seeding included)
 *   npm run bench:pg -- --quick   (under 2 minutes: 1 short round, noisier)
 *   DATABASE_URL=postgres://user@host:5432/db npm run bench:pg
 * Drops and creates the databases latchkey_bench, better_auth_bench, latchkey_bench_empty and
 * latchkey_bench_1m on that server (dropped again at the end). Prints a markdown section and writes
 * bench/results/postgres.md. Not a test: nothing asserts a timing. See docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir } from './lib/paths.js';
import { postgresBench } from './lib/postgres-bench.js';

const quick = process.argv.includes('--quick');
const t0 = performance.now();
const log = (message: string) => console.error(`[bench:pg ${((performance.now() - t0) / 1000).toFixed(0)} s] ${message}`);
try {
  const markdown = await postgresBench({ quick, log });
  console.log(markdown);
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  writeFileSync(join(benchDir, 'results', 'postgres.md'), markdown);
  log('wrote bench/results/postgres.md');
} catch (error) {
  console.error('[bench:pg] failed:', error);
  process.exitCode = 1;
}
// fetch's and autocannon's idle keep-alive sockets would hold the process a few seconds more.
process.exit();
