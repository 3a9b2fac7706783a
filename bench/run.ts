/**
 * latchkey vs Better Auth, side by side in one run, on 127.0.0.1 only.
 *   npm run bench              (about 13 minutes: 3 rounds on SQLite, then 3 on PostgreSQL)
 *   npm run bench -- --quick   (about 3 minutes: 1 short round of each, noisier)
 *   --no-postgres              leaves out the PostgreSQL rows (npm run bench:pg runs them alone)
 * Prints a markdown table and writes bench/results/latest.md. See docs/benchmarks.md for how to read it.
 * Not a test: nothing asserts a timing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joseCeiling, sqliteWriteFloor } from './lib/ceilings.js';
import { hashCeiling } from './lib/hash-ceiling.js';
import { header } from './lib/header.js';
import { latchkeyVerifyRate } from './lib/verify-ceiling.js';
import { load, refreshRequest, type Measured } from './lib/load.js';
import { benchDir } from './lib/paths.js';
import { report, type Results } from './lib/report.js';
import { prepareBetterAuth, prepareLatchkey, signInRequest, signUpRequest, type Prepared } from './lib/requests.js';
import { serverStats, startServer, stopServer, type Server } from './lib/servers.js';
import { loginStorm, type StormOptions } from './lib/storm.js';
import { postgresBench } from './lib/postgres-bench.js';

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
/** The equal cost: latchkey's default scrypt, N=2^14, r=8, p=5, 32-byte key. */
const COST = { ln: 14, r: 8, p: 5 };
const BA_DEFAULT_COST = { N: 16384, r: 16, p: 1, keyLength: 64 };
const MODE = quick
  ? { rounds: 1, hashSeconds: 2.5, lightSeconds: 1.5, stormSeconds: 2, warmup: 0.7, scryptSeconds: 1, joseSeconds: 0.7, floorSeconds: 0.5 }
  : { rounds: 3, hashSeconds: 8, lightSeconds: 5, stormSeconds: 8, warmup: 3, scryptSeconds: 3, joseSeconds: 2, floorSeconds: 1 };
/** Sign-up and sign-in: enough in flight to keep every hash thread of either library busy. */
const HASH = { connections: 8 };
const LIGHT = { connections: 32 };
/** The pause before each measurement (see `scenario`). */
const SETTLE_MS = 2000;
/** The latency target of the authenticated request is read at 10 connections. */
const LATENCY = { connections: 10 };
const REFRESH = { connections: 8, sessions: 16 };
const STORM: Omit<StormOptions, 'seconds'> = { signInConnections: 8, authRate: 100, authConnections: 4 };

const tmp = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
const servers: Server[] = [];
const t0 = performance.now();
const log = (message: string) => console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(0)} s] ${message}`);
try {
  log(`${quick ? 'quick' : 'full'} run: ${MODE.rounds} round(s)`);
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
    ceilings: { scrypt: [], scryptWays: [], scryptBaDefault: [], jose: [], latchkeyVerify: [], sqliteWrite: [] },
    peakRss: [],
  };
  const record = <T>(into: Record<string, T[]>, key: string, value: T) => (into[key] ??= []).push(value);

  for (let round = 0; round < MODE.rounds; round++) {
    log(`round ${round + 1}/${MODE.rounds}: ceilings`);
    const equal = await hashCeiling({ N: 2 ** COST.ln, r: COST.r, p: COST.p, keyLength: 32 }, MODE.scryptSeconds);
    results.ceilings.scrypt.push(equal.best);
    results.ceilings.scryptWays.push(equal.ways);
    results.ceilings.scryptBaDefault.push((await hashCeiling(BA_DEFAULT_COST, MODE.scryptSeconds)).best);
    results.ceilings.jose.push(await joseCeiling(MODE.joseSeconds));
    results.ceilings.latchkeyVerify.push(await latchkeyVerifyRate(MODE.joseSeconds));
    results.ceilings.sqliteWrite.push(sqliteWriteFloor(tmp, MODE.floorSeconds));

    // Each scenario on each server in turn; the order of the servers turns every round, against drift.
    const turn = <T>(xs: T[]) => xs.map((_, i) => xs[(i + round) % xs.length]!);
    const scenario = async (name: string, on: [string, Prepared][], measure: (p: Prepared) => Promise<Measured>) => {
      for (const [id, p] of turn(on)) {
        log(`round ${round + 1}: ${name} on ${p.server.name}`);
        // Let the machine settle: right after tens of thousands of requests a second (the HTTP floor),
        // the next scenario measured up to a fifth lower for a few seconds, whatever it was.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        record(results.runs, `${name}.${id}`, await measure(p));
      }
    };
    const hash = { ...HASH, seconds: MODE.hashSeconds };
    const light = { ...LIGHT, seconds: MODE.lightSeconds };
    await scenario('signup', all, (p) => load(p.server, [signUpRequest(p.kind, p.server)], hash));
    await scenario('signin', all, (p) => load(p.server, [signInRequest(p.kind, p.server, p.email)], hash));
    await scenario('auth', all.slice(0, 2), (p) => load(p.server, [p.authRequest], light));
    await scenario('guarded', all.slice(0, 1), (p) => load(p.server, [p.guardedRequest!], light));
    await scenario('auth10', all.slice(0, 1), (p) => load(p.server, [p.authRequest], { ...LATENCY, seconds: MODE.lightSeconds }));
    await scenario('stateless', all.slice(0, 1), (p) => load(p.server, [p.statelessRequest!], light));
    await scenario('empty', all.slice(0, 1), (p) => load(p.server, [p.emptyRequest!], light));
    await scenario('refresh', all.slice(0, 1), async (p) => {
      const pool = await p.freshSessions!(REFRESH.sessions);
      return load(p.server, [refreshRequest(pool)], { connections: REFRESH.connections, seconds: MODE.lightSeconds });
    });
    for (const [id, p] of turn(all)) {
      log(`round ${round + 1}: login storm on ${p.server.name}`);
      record(results.storms, `storm.${id}`, await loginStorm(p, { ...STORM, seconds: MODE.stormSeconds }));
    }
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
