// `npm run fuzz`: the HTTP fuzz suite (test/fuzz) with ten times the CI run's requests and time.
import { spawnSync } from 'node:child_process';

const env = {
  ...process.env,
  LATCHKEY_FUZZ_RUNS: process.env.LATCHKEY_FUZZ_RUNS ?? '1000000',
  LATCHKEY_FUZZ_SECONDS: process.env.LATCHKEY_FUZZ_SECONDS ?? '600',
};
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/fuzz', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exitCode = vitest.status ?? 1;
