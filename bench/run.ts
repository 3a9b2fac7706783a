/**
 * latchkey vs Better Auth, side by side in one run, on 127.0.0.1 only.
 *   npm run bench              (about 13 minutes: 3 rounds on SQLite, then 3 on PostgreSQL)
 *   npm run bench -- --quick   (about 3 minutes: 1 short round and 5 short passes, noisier)
 *   --no-postgres              leaves out the PostgreSQL rows (npm run bench:pg runs them alone)
 * Prints a markdown table and writes bench/results/latest.md. See docs/benchmarks.md for how to read it.
 * Not a test: nothing asserts a timing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joseCeiling, sqliteWriteFloor } from './lib/ceilings.js';
import { hashCeiling, type HashWay } from './lib/hash-ceiling.js';
import { header } from './lib/header.js';
import { latchkeyVerifyRate } from './lib/verify-ceiling.js';
import { load, refreshRequest, type Measured } from './lib/load.js';
import { benchDir } from './lib/paths.js';
import { report, type Results } from './lib/report.js';
import { prepareBetterAuth, prepareLatchkey, signInRequest, signUpRequest, type Prepared } from './lib/requests.js';
import { serverStats, startServer, stopServer, type Server } from './lib/servers.js';
import { loginStorm, type StormOptions } from './lib/storm.js';
import { postgresBench } from './lib/postgres-bench.js';

/** Each way's rate, the mean of two measurements. */
function averageWays(a: Record<HashWay, number>, b: Record<HashWay, number>): Record<HashWay, number> {
  return Object.fromEntries(Object.keys(a).map((way) => [way, (a[way as HashWay] + b[way as HashWay]) / 2])) as Record<HashWay, number>;
}

/** The PostgreSQL rows (bench/lib/postgres-bench.ts), or a line saying why there are none. */
async function postgresSection(quick: boolean, log: (message: string) => void): Promise<string> {
  try {
    return await postgresBench({ quick, log });
  } catch (error) {
    log(`PostgreSQL rows skipped: ${(error as Error).message}`);
    return `## On PostgreSQL\n\nSkipped: ${(error as Error).message} (npm run bench:pg runs them alone).\n`;
  }
}

const quick = process.argv.includes('--quick');
/** The equal cost: latchkey's default scrypt, N=2^14, r=8, p=5. */
const COST = { ln: 14, r: 8, p: 5 };
const BA_DEFAULT_COST = { N: 16384, r: 16, p: 1, keyLength: 64 };
/**
 * Rounds hold the hash-bound part (sign-up, sign-in, the login storm), passes the light one (the
 * authenticated, guarded, stateless and empty routes, refresh and their in-process ceilings).
 */
const MODE = quick
  ? { rounds: 1, passes: 5, hashSeconds: 4, lightSeconds: 1, stormSeconds: 2, warmup: 0.7, scryptSeconds: 2, joseSeconds: 0.5, floorSeconds: 0.3, settleMs: 500 }
  : { rounds: 3, passes: 9, hashSeconds: 8, lightSeconds: 2, stormSeconds: 8, warmup: 3, scryptSeconds: 3, joseSeconds: 1, floorSeconds: 0.5, settleMs: 1000 };
/** Sign-up and sign-in: enough in flight to keep every hash thread of either library busy. */
const HASH = { connections: 8 };
const LIGHT = { connections: 32 };
/** The latency target of the authenticated request is read at 10 connections. */
const LATENCY = { connections: 10 };
const REFRESH = { connections: 8, sessions: 16 };
const STORM: Omit<StormOptions, 'seconds'> = { signInConnections: 8, authRate: 100, authConnections: 4 };

const tmp = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
const servers: Server[] = [];
const t0 = performance.now();
const log = (message: string) => console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(0)} s] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
try {
  log(`${quick ? 'quick' : 'full'} run: ${MODE.rounds} round(s) of the hash-bound scenarios, ${MODE.passes} passes of the light ones`);
  const [lk, baEq, baDef] = await Promise.all([
    startServer('latchkey', 'latchkey.ts', (port) => [String(port), join(tmp, 'latchkey.sqlite'), String(COST.ln), String(COST.r), String(COST.p)]),
    startServer('better-auth (equal scrypt)', 'better-auth.ts', (port) => [String(port), join(tmp, 'ba-equal.sqlite'), `${COST.ln},${COST.r},${COST.p}`]),
    startServer('better-auth (default)', 'better-auth.ts', (port) => [String(port), join(tmp, 'ba-default.sqlite'), 'default']),
  ]);
  servers.push(lk!, baEq!, baDef!);
  const [pLk, pBaEq, pBaDef] = await Promise.all([prepareLatchkey(lk!), prepareBetterAuth(baEq!), prepareBetterAuth(baDef!)]);
  const all: [string, Prepared][] = [['lk', pLk!], ['baEq', pBaEq!], ['baDef', pBaDef!]];

  // Warm-up, all servers at once (nothing is measured): the paths compiled, the first hashes done.
  log('warm-up');
  await Promise.all(
    all.map(async ([, p]) => {
      await load(p.server, [signInRequest(p.kind, p.server, p.email)], { connections: 4, seconds: MODE.warmup });
      await load(p.server, [p.authRequest], { ...LIGHT, seconds: MODE.warmup });
    }),
  );

  const results: Results = {
    runs: {},
    storms: {},
    ceilings: { scrypt: [], scryptWays: [], scryptBaDefault: [], jose: [], latchkeyVerify: [], latchkeyVerifyCached: [], sqliteWrite: [], sqliteWriteGrouped: [] },
    peakRss: [],
  };
  const record = <T>(into: Record<string, T[]>, key: string, value: T) => (into[key] ??= []).push(value);
  /** One measurement on one server, after a pause that lets the machine settle from the one before. */
  const measure = async (name: string, id: string, run: () => Promise<Measured>) => {
    await sleep(MODE.settleMs);
    record(results.runs, `${name}.${id}`, await run());
  };

  // The hash-bound part. The ceilings are measured before and after the sign-ups and sign-ins of the
  // round and averaged, so that a machine slowing down or speeding up meanwhile moves both sides.
  for (let round = 0; round < MODE.rounds; round++) {
    log(`round ${round + 1}/${MODE.rounds}: scrypt ceilings, sign-up, sign-in, scrypt ceilings again`);
    const ceilings = async () => ({
      equal: await hashCeiling({ N: 2 ** COST.ln, r: COST.r, p: COST.p, keyLength: 32 }, MODE.scryptSeconds),
      baDefault: await hashCeiling(BA_DEFAULT_COST, MODE.scryptSeconds),
    });
    const before = await ceilings();
    // The order of the servers turns every round, against drift.
    const turned = all.map((_, i) => all[(i + round) % all.length]!);
    const hash = { ...HASH, seconds: MODE.hashSeconds };
    for (const [id, p] of turned) await measure('signup', id, () => load(p.server, [signUpRequest(p.kind, p.server)], hash));
    for (const [id, p] of turned) await measure('signin', id, () => load(p.server, [signInRequest(p.kind, p.server, p.email)], hash));
    const after = await ceilings();
    const ways = averageWays(before.equal.ways, after.equal.ways);
    results.ceilings.scryptWays.push(ways);
    results.ceilings.scrypt.push(Math.max(...Object.values(ways)));
    results.ceilings.scryptBaDefault.push(Math.max(...Object.values(averageWays(before.baDefault.ways, after.baDefault.ways))));
    for (const [id, p] of turned) {
      log(`round ${round + 1}: login storm on ${p.server.name}`);
      record(results.storms, `storm.${id}`, await loginStorm(p, { ...STORM, seconds: MODE.stormSeconds }));
    }
  }

  // The light part: short passes over every light scenario and its in-process ceilings, the order
  // reversed every other pass. This machine's speed drifts by tens of per cent within seconds; each
  // pass measures a ratio's two sides a few seconds apart, and the median over the passes is robust to
  // a pass that a slow moment cut through.
  const light = { ...LIGHT, seconds: MODE.lightSeconds };
  const refreshPool: string[] = [];
  const steps: [string, () => Promise<void>][] = [
    ['ceilings: jose, verifyAccessToken, SQLite writes', async () => {
      results.ceilings.jose.push(await joseCeiling(MODE.joseSeconds));
      results.ceilings.latchkeyVerify.push(await latchkeyVerifyRate(MODE.joseSeconds, false));
      results.ceilings.latchkeyVerifyCached.push(await latchkeyVerifyRate(MODE.joseSeconds, true));
      results.ceilings.sqliteWrite.push(sqliteWriteFloor(tmp, MODE.floorSeconds));
      results.ceilings.sqliteWriteGrouped.push(sqliteWriteFloor(tmp, MODE.floorSeconds, 8));
    }],
    ['auth on latchkey', () => measure('auth', 'lk', () => load(lk!, [pLk!.authRequest], light))],
    ['auth, every signature checked', () => measure('authEveryCheck', 'lk', () => load(lk!, [pLk!.everyCheckAuthRequest!], light))],
    ['auth on better-auth', () => measure('auth', 'baEq', () => load(baEq!, [pBaEq!.authRequest], light))],
    ['guarded', () => measure('guarded', 'lk', () => load(lk!, [pLk!.guardedRequest!], light))],
    ['auth, 10 connections', () => measure('auth10', 'lk', () => load(lk!, [pLk!.authRequest], { ...LATENCY, seconds: MODE.lightSeconds }))],
    ['stateless', () => measure('stateless', 'lk', () => load(lk!, [pLk!.statelessRequest!], light))],
    ['empty', () => measure('empty', 'lk', () => load(lk!, [pLk!.emptyRequest!], light))],
    ['refresh', async () => {
      // The sessions whose latest token came back stay in the pool; those in flight when the window
      // closed are gone (their successors were never read), so the pool is topped up with new ones.
      refreshPool.push(...(await pLk!.freshSessions!(REFRESH.sessions - refreshPool.length)));
      await measure('refresh', 'lk', () => load(lk!, [refreshRequest(refreshPool)], { connections: REFRESH.connections, seconds: MODE.lightSeconds }));
    }],
  ];
  for (let pass = 0; pass < MODE.passes; pass++) {
    const order = pass % 2 === 0 ? steps : [...steps].reverse();
    log(`pass ${pass + 1}/${MODE.passes}: ${order.map(([name]) => name.split(':')[0]).join(', ')}`);
    for (const [, step] of order) await step();
  }

  for (const server of servers) results.peakRss.push({ name: server.name, bytes: (await serverStats(server)).peakRss });
  const markdown = report(results, {
    header: header({
      quick,
      elapsedSeconds: (performance.now() - t0) / 1000,
      cost: COST,
      mode: MODE,
      hash: HASH,
      light: LIGHT,
      latency: LATENCY,
      refresh: REFRESH,
      storm: STORM,
    }),
    refreshSessions: REFRESH.sessions,
    stormAuthRate: STORM.authRate,
  });
  // The PostgreSQL rows run on their own: the SQLite servers are stopped first, not to compete for the cores.
  await Promise.all(servers.splice(0).map(stopServer));
  const postgres = process.argv.includes('--no-postgres') ? '' : `\n${await postgresSection(quick, log)}`;
  console.log(markdown + postgres);
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  writeFileSync(join(benchDir, 'results', 'latest.md'), markdown + postgres);
  log('wrote bench/results/latest.md');
} catch (error) {
  console.error('[bench] failed:', error);
  process.exitCode = 1;
} finally {
  await Promise.all(servers.map(stopServer));
  rmSync(tmp, { recursive: true, force: true });
  log('servers stopped');
}
// fetch's and autocannon's idle keep-alive sockets would hold the process a few seconds more.
process.exit();
