/**
 * A CPU profile of latchkey's bench server under one scenario, summed by area and by function.
 *   npm run bench:profile -- signin|signup|auth|refresh|storm [seconds]
 * Writes the .cpuprofile to bench/results/profiles/ (open it in Chrome DevTools for the call tree).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, refreshRequest } from './lib/load.js';
import { benchDir } from './lib/paths.js';
import { summarizeProfile } from './lib/profile-summary.js';
import { prepareLatchkey, signInRequest, signUpRequest } from './lib/requests.js';
import { startServer, stopServer } from './lib/servers.js';
import { loginStorm } from './lib/storm.js';

const scenario = process.argv[2] ?? 'auth';
const seconds = Number(process.argv[3] ?? 10);
const scenarios = ['signin', 'signup', 'auth', 'refresh', 'storm'];
if (!scenarios.includes(scenario)) {
  console.error(`usage: npm run bench:profile -- ${scenarios.join('|')} [seconds]`);
  process.exit(2);
}

const name = `latchkey-${scenario}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
const dir = join(benchDir, 'results', 'profiles', name);
mkdirSync(dir, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'latchkey-profile-'));
// One file per thread (the loader's and the hashing threads' too); the main thread's has thread id 0.
const server = await startServer('latchkey', 'latchkey.ts', (port) => [String(port), join(tmp, 'lk.sqlite'), '14', '8', '5'], [
  '--cpu-prof',
  `--cpu-prof-dir=${dir}`,
]);
try {
  const p = await prepareLatchkey(server);
  const pool = await p.freshSessions!(16);
  const run = {
    signin: () => load(server, [signInRequest('latchkey', server, p.email)], { connections: 8, seconds }),
    signup: () => load(server, [signUpRequest('latchkey', server)], { connections: 8, seconds }),
    auth: () => load(server, [p.authRequest], { connections: 32, seconds }),
    refresh: () => load(server, [refreshRequest(pool)], { connections: 8, seconds }),
    storm: () => loginStorm(p, { seconds, signInConnections: 8, authRate: 100, authConnections: 4 }),
  }[scenario as 'auth'];
  console.error(`[profile] ${scenario} for ${seconds} s`);
  console.error(JSON.stringify(await run()));
} finally {
  await stopServer(server);
  rmSync(tmp, { recursive: true, force: true });
}

const file = readdirSync(dir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
if (!file) throw new Error('no profile was written');
const summary = summarizeProfile(join(dir, file));
const busy = summary.totalMs - summary.idleMs;
const line = (x: { name: string; ms: number }) => `| ${x.name} | ${x.ms.toFixed(0)} | ${((100 * x.ms) / busy).toFixed(1)} % |`;
console.log(`# Profile of latchkey, ${scenario}, ${seconds} s (main thread)\n`);
console.log(`Busy ${busy.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms (the rest idle). Includes setup and the warm start.\n`);
console.log('| Area | self ms | % of busy |\n|---|---:|---:|');
summary.areas.forEach((a) => console.log(line(a)));
console.log('\n| Function | self ms | % of busy |\n|---|---:|---:|');
summary.functions.forEach((f) => console.log(line(f)));
console.log(`\nProfile: bench/results/profiles/${name}/${file}`);
