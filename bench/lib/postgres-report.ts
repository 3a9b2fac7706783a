/** The markdown report of the PostgreSQL bench: parameters, the scenario table, the 1M check, ceilings. */
import { arch, availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import type { ClusterMeasured } from './cluster.js';
import { mib, num, pct, range, times, verdict } from './format.js';
import type { Latency } from './latency.js';
import { SCENARIO_HEADER, scenarioRow } from './report.js';
import { latchkeyVersion, version } from './header.js';
import type { Seeded } from './postgres-seed.js';
import { median, medianOf, medianRatio, spread } from './stats.js';

/** Samples each table must give for the 1M check to judge its p99 (1 % of them lie above it). */
const MIN_TAIL_SAMPLES = 1000;

/** Keys: `<scenario>.lk` / `.ba` for runs; `<login|refresh>.empty` / `.full` for the 1M check. */
export interface PostgresResults {
  runs: Record<string, ClusterMeasured[]>;
  checks: Record<string, Latency[]>;
  ceilings: { scrypt: number[]; jose: number[]; postgresWrite: number[] };
  peakRss: { name: string; bytes: number }[];
  seeded: Seeded;
}

export interface PostgresHeaderInput {
  quick: boolean;
  elapsedSeconds: number;
  cost: { ln: number; r: number; p: number };
  mode: { rounds: number; hashSeconds: number; lightSeconds: number; loginCheckSeconds: number; refreshCheckSeconds: number; warmup: number };
  hash: { connections: number };
  light: { connections: number };
  refresh: { connections: number; sessions: number };
  check: { clients: number };
  /** The server's version and settings, one line. */
  postgres: string;
  seeded: Seeded;
}

export function postgresHeader(h: PostgresHeaderInput): string[] {
  const { cost, mode, seeded } = h;
  const libraries = ['better-auth', 'hono', '@hono/node-server', 'kysely', 'pg', 'autocannon', 'jose'].map((pkg) => `${pkg} ${version(pkg)}`).join(', ');
  const rows = Object.entries(seeded.rows).map(([table, n]) => `${n.toLocaleString('en')} in ${table}`).join(', ');
  return [
    `## On PostgreSQL — ${new Date().toISOString()}`,
    '',
    `- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()} ${arch()}; Node ${process.version}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
    `- ${h.postgres}, on the same machine.`,
    `- latchkey ${latchkeyVersion()} (working tree), ${libraries}`,
    `- Mode: ${h.quick ? '--quick' : 'full'}, ${mode.rounds} round(s), total ${h.elapsedSeconds.toFixed(0)} s. Per library, scenario and round: sign-in ${mode.hashSeconds} s (${h.hash.connections} connections) and the authenticated request ${mode.lightSeconds} s (${h.light.connections} connections), each in two halves, the libraries in the order A B B A; refresh ${mode.lightSeconds} s (${h.refresh.connections} connections over ${h.refresh.sessions} sessions). Warm-up ${mode.warmup} s of sign-in and authenticated requests. autocannon runs in the runner process.`,
    `- Deployment: each library runs as two instances (child processes, a pg pool of 10 connections each) on one database, behind a round-robin TCP proxy (bench/servers/round-robin.ts, its own process: each new connection to the next instance, bytes piped). Every request of both libraries goes through it. Rate limiting off on both; Better Auth autoSignIn off.`,
    `- Equal cost: both hash with scrypt N=2^${cost.ln}, r=${cost.r}, p=${cost.p}, 32-byte key (latchkey's default hasher; Better Auth through its password.hash/verify hooks on the libuv pool).`,
    `- 1M check: two more latchkey pairs behind their own proxies, on an empty database (one account) and on one with ${rows} (copies of a real account, INSERT … SELECT over generate_series, then VACUUM ANALYZE and CHECKPOINT: ${seeded.seconds.toFixed(0)} s). ${h.check.clients} clients, each on its own keep-alive connection and waiting for its answer (one per instance): login ${mode.loginCheckSeconds} s, refresh ${mode.refreshCheckSeconds} s per table and round, each in two halves ordered empty, 1M, 1M, empty (reversed the next round).`,
  ];
}

export interface PostgresSettings {
  header: string[];
  refreshSessions: number;
  checkClients: number;
}

const rps = (m: ClusterMeasured) => m.rps;

export function postgresReport(r: PostgresResults, settings: PostgresSettings): string {
  const run = (key: string) => r.runs[key] ?? [];
  const { scrypt, jose, postgresWrite } = r.ceilings;
  const vs = (a: string, b: string) => medianRatio(run(a), run(b), rps, rps);
  const of = (key: string, ceiling: number[]) => medianRatio(run(key), ceiling, rps, (c) => c);

  const rows = [...SCENARIO_HEADER];
  const row = (scenario: string, server: string, key: string, ratio: number, ofCeiling: number, target = '') =>
    rows.push(scenarioRow(run(key), scenario, server, ratio, ofCeiling, target));
  const signIn = { vs: vs('signin.lk', 'signin.ba'), of: of('signin.lk', scrypt) };
  row('sign-in (equal cost)', 'latchkey ×2', 'signin.lk', signIn.vs, signIn.of);
  row('sign-in (equal cost)', 'Better Auth ×2', 'signin.ba', NaN, of('signin.ba', scrypt));
  const auth = vs('auth.lk', 'auth.ba');
  row('authenticated request', 'latchkey ×2 GET /auth/account (bearer)', 'auth.lk', auth, of('auth.lk', jose), `≥ 2×: ${verdict(auth >= 2)}`);
  row('authenticated request', 'Better Auth ×2 get-session (cookie)', 'auth.ba', NaN, of('auth.ba', jose));
  row('token refresh', `latchkey ×2 (${settings.refreshSessions} sessions)`, 'refresh.lk', NaN, of('refresh.lk', postgresWrite));

  const share = (key: string) => pct(medianOf(run(key), (x) => x.minShare));
  const balance = `Split over the two instances (the less busy one's share of the 2xx answers, median): sign-in ${share('signin.lk')} latchkey, ${share('signin.ba')} Better Auth; authenticated request ${share('auth.lk')} and ${share('auth.ba')}; refresh ${share('refresh.lk')}.`;

  const check = (key: string) => r.checks[key] ?? [];
  const lines = [
    '',
    `With 1,000,000 accounts: latchkey's login and refresh latency against an empty table (${settings.checkClients} closed-loop clients through the proxy, latency measured by the client to the microsecond).`,
    '',
    '| Request | accounts | p50 | p99 | mean | samples | errors | 1M / empty p50 | 1M / empty p99 | within 10 % |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const fine = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 100 ? 2 : 0)} ms` : '–');
  for (const [name, request] of [['login (equal cost)', 'login'], ['refresh', 'refresh']] as const) {
    const empty = check(`${request}.empty`);
    const full = check(`${request}.full`);
    const p50 = medianRatio(full, empty, (x) => x.p50, (y) => y.p50);
    const p99 = medianRatio(full, empty, (x) => x.p99, (y) => y.p99);
    const fewest = Math.min(...[empty, full].map((m) => m.reduce((sum, x) => sum + x.samples, 0)));
    // A p99 stands on the 1 % of samples above it: from fewer than 1,000 it is the largest few, noise.
    const tailJudged = fewest >= MIN_TAIL_SAMPLES;
    const within = p50 <= 1.1 && (!tailJudged || p99 <= 1.1);
    const verdict1m = `${within ? 'met' : '**not met**'}${tailJudged ? '' : ` on p50 (p99 from ${fewest} samples: not judged)`}`;
    for (const [accounts, m, last] of [['1', empty, false], ['1,000,001', full, true]] as const) {
      const cells = [
        name,
        accounts,
        fine(medianOf(m, (x) => x.p50)),
        fine(medianOf(m, (x) => x.p99)),
        fine(medianOf(m, (x) => x.mean)),
        String(m.reduce((sum, x) => sum + x.samples, 0)),
        String(m.reduce((sum, x) => sum + x.errors, 0)),
        last ? times(p50) : '',
        last ? times(p99) : '',
        last ? verdict1m : '',
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }

  const ceilings = [
    '',
    '| Ceiling (measured in the runner process in every round, servers idle) | per second | spread |',
    '|---|---:|---:|',
    `| bare scrypt at the equal cost, the best of three ways (libuv pool, one and two worker threads per core) | ${num(median(scrypt))} | ${range(spread(scrypt))} |`,
    `| bare jose EdDSA jwtVerify (32 in flight) | ${num(median(jose))} | ${range(spread(jose))} |`,
    `| one PostgreSQL write transaction (an INSERT committed on its own, 8 in flight from a pg pool) | ${num(median(postgresWrite))} | ${range(spread(postgresWrite))} |`,
    '',
    '| Instance | peak RSS |',
    '|---|---:|',
    ...r.peakRss.map((s) => `| ${s.name} | ${mib(s.bytes)} |`),
    '',
    balance,
    '',
    `req/s counts 2xx answers, counted by each instance between two readings inside the window and summed; p50 and p99 are autocannon's, through the proxy; loop p99 is the busier instance's event-loop delay. req/s, p50, p99 and loop p99 are medians over the rounds; "spread" is the lowest and highest req/s. Ratios and "% of ceiling" are per-round ratios (each pair measured in the same round), then their median; so are the 1M / empty ratios, judged on p50, and on p99 when each table gave at least ${MIN_TAIL_SAMPLES.toLocaleString('en')} samples. Refresh is held against one PostgreSQL write. See docs/benchmarks.md.`,
  ];
  return [...settings.header, '', ...rows, ...lines, ...ceilings, ''].join('\n');
}
