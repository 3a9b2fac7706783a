/** The markdown report of a run: the parameters, the scenario table, the login storm, ceilings, memory. */
import { mib, ms, num, pct, range, times, verdict } from './format.js';
import type { HashWay } from './hash-ceiling.js';
import type { Measured } from './load.js';
import { REFERENCE } from './reference.js';
import { median as medianOfValues, medianOf, medianRatio, spread } from './stats.js';
import type { StormMeasured } from './storm.js';

/** Scenario keys: `<scenario>.<server>`, servers `lk` (latchkey), `baEq` (equal cost), `baDef` (defaults). */
export interface Results {
  runs: Record<string, Measured[]>;
  storms: Record<string, StormMeasured[]>;
  ceilings: {
    /** The best of the ways to hash at the equal cost (hash-ceiling.ts), and each way's rate. */
    scrypt: number[];
    scryptWays: Record<HashWay, number>[];
    scryptBaDefault: number[];
    jose: number[];
    latchkeyVerify: number[];
    latchkeyVerifyCached: number[];
    /** One INSERT per transaction. */
    sqliteWrite: number[];
    /** Eight INSERTs per transaction, counted one by one. */
    sqliteWriteGrouped: number[];
  };
  peakRss: { name: string; bytes: number }[];
}

export interface Settings {
  header: string[];
  refreshSessions: number;
  stormAuthRate: number;
}

const rps = (m: Measured) => m.rps;

/** The head of a scenario table, in both parts of the report. */
export const SCENARIO_HEADER = [
  '| Scenario | Server | req/s | spread | p50 | p99 | errors | loop p99 | latchkey / BA | % of ceiling | target |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
];

/** One scenario's row: medians over the rounds or passes, the spread, the summed errors, a ratio (NaN: none). */
export function scenarioRow(m: Measured[], scenario: string, server: string, vs: number, ofCeiling: number, target = ''): string {
  const cells = [
    scenario,
    server,
    num(medianOf(m, rps)),
    range(spread(m.map(rps))),
    ms(medianOf(m, (x) => x.p50)),
    ms(medianOf(m, (x) => x.p99)),
    String(m.reduce((sum, x) => sum + x.errors, 0)),
    ms(medianOf(m, (x) => x.loopP99Ms)),
    Number.isNaN(vs) ? '' : times(vs),
    Number.isNaN(ofCeiling) ? '' : pct(ofCeiling),
    target,
  ];
  return `| ${cells.join(' | ')} |`;
}

export function report(r: Results, settings: Settings): string {
  const run = (key: string) => r.runs[key] ?? [];
  const rows: string[] = [...SCENARIO_HEADER];
  const row = (scenario: string, server: string, key: string, vs: number, ofCeiling: number, target = '') =>
    rows.push(scenarioRow(run(key), scenario, server, vs, ofCeiling, target));
  const { scrypt, scryptBaDefault, jose, latchkeyVerify, latchkeyVerifyCached, sqliteWrite, sqliteWriteGrouped } = r.ceilings;
  // Per pass, the better of the two ways to write.
  const sqliteWriteBest = sqliteWrite.map((single, i) => Math.max(single, sqliteWriteGrouped[i] ?? 0));
  const vs = (a: string, b: string) => medianRatio(run(a), run(b), rps, rps);
  const of = (key: string, ceiling: number[]) => medianRatio(run(key), ceiling, rps, (c) => c);

  const signUp = { vs: vs('signup.lk', 'signup.baEq'), of: of('signup.lk', scrypt) };
  row('sign-up (equal cost)', 'latchkey', 'signup.lk', signUp.vs, signUp.of,
    `≥ 95 % and ≥ 1.6×: ${verdict(signUp.of >= 0.95 && signUp.vs >= 1.6)}`);
  row('sign-up (equal cost)', 'Better Auth', 'signup.baEq', NaN, of('signup.baEq', scrypt));
  row('sign-up (defaults)', 'Better Auth default', 'signup.baDef', vs('signup.lk', 'signup.baDef'), of('signup.baDef', scryptBaDefault));
  const signIn = { vs: vs('signin.lk', 'signin.baEq'), of: of('signin.lk', scrypt) };
  row('sign-in (equal cost)', 'latchkey', 'signin.lk', signIn.vs, signIn.of, `≥ 95 %: ${verdict(signIn.of >= 0.95)}`);
  row('sign-in (equal cost)', 'Better Auth', 'signin.baEq', NaN, of('signin.baEq', scrypt));
  row('sign-in (defaults)', 'Better Auth default', 'signin.baDef', vs('signin.lk', 'signin.baDef'), of('signin.baDef', scryptBaDefault));
  // The authenticated request against the HTTP stack and the signature check it cannot avoid: one empty
  // route plus one bare jose verification, per pass (1 / (1/empty + 1/jose)).
  const combined = run('empty.lk').map((m, i) => (jose[i] === undefined ? NaN : 1 / (1 / m.rps + 1 / jose[i]!)));
  const auth = { vs: vs('auth.lk', 'auth.baEq'), of: of('auth.lk', combined) };
  const authP99 = medianOf(run('auth10.lk'), (x) => x.p99);
  row('authenticated request', 'latchkey GET /auth/account (bearer)', 'auth.lk', auth.vs, auth.of,
    `≥ 4× and ≥ 40 % of empty route + jose verify: ${verdict(auth.vs >= 4 && auth.of >= 0.4)}`);
  row('authenticated request', 'Better Auth get-session (cookie)', 'auth.baEq', NaN, of('auth.baEq', combined));
  // The same request with every signature checked (verifiedTokenCache: 0), as a token's first use is.
  row('authenticated request, every signature checked', 'latchkey GET /account, verifiedTokenCache: 0', 'authEveryCheck.lk',
    vs('authEveryCheck.lk', 'auth.baEq'), of('authEveryCheck.lk', combined), 'reported (the targets are judged with the default cache)');
  row('authenticated request, 10 connections', 'latchkey GET /auth/account (bearer)', 'auth10.lk', NaN, of('auth10.lk', combined),
    `p99 < 5 ms: ${verdict(authP99 < 5)}`);
  const guarded = medianRatio(run('guarded.lk'), run('auth.lk'), rps, rps);
  row('host route behind requireAuth', 'latchkey GET /guarded', 'guarded.lk', NaN, of('guarded.lk', combined),
    `${pct(guarded)} of GET /auth/account, ≥ 85 %: ${verdict(guarded >= 0.85)}`);
  // The target is judged in process (the ceilings table): over HTTP the route pays the HTTP stack too.
  const verifyShare = medianRatio(latchkeyVerify, jose, (x) => x, (y) => y);
  const ofEmpty = medianRatio(run('stateless.lk'), run('empty.lk'), rps, rps);
  row('stateless verify', 'latchkey verifyAccessToken in a host route', 'stateless.lk', NaN, of('stateless.lk', jose),
    `in process ${pct(verifyShare)} of bare jose, ≥ 80 %: ${verdict(verifyShare >= 0.8)}; route at ${pct(ofEmpty)} of the empty route`);
  row('HTTP floor', 'latchkey server, an empty host route', 'empty.lk', NaN, NaN);
  const refresh = medianOf(run('refresh.lk'), rps);
  const refreshOfEmpty = medianRatio(run('refresh.lk'), run('empty.lk'), rps, rps);
  row('token refresh', `latchkey (${settings.refreshSessions} sessions)`, 'refresh.lk', NaN, of('refresh.lk', sqliteWriteBest),
    `≥ 3,000/s: ${verdict(refresh >= 3000)}; ${pct(refreshOfEmpty)} of the empty route (reference run ${pct(REFERENCE.refresh / REFERENCE.emptyRoute)})`);
  const emptyNow = medianOf(run('empty.lk'), rps);
  rows.push(
    '',
    `This machine against the reference run (${REFERENCE.when}, every target met; docs/benchmarks.md): the empty route at ${pct(emptyNow / REFERENCE.emptyRoute)}, bare jose at ${pct(medianOfValues(jose) / REFERENCE.jose)}, one SQLite write at ${pct(medianOfValues(sqliteWrite) / REFERENCE.sqliteWrite)} of its rate. The ratio targets hold at any speed. The rate targets (refresh, p99) are rates: they were set on a machine whose empty route ran about 26,900/s (2026-12-06, half the reference run's), and a faster machine reads them higher.`,
  );

  const storm: string[] = [
    '',
    `Login storm: sign-ins saturating the CPU while authenticated requests arrive at ${settings.stormAuthRate}/s (latchkey \`GET /auth/account\`, Better Auth get-session).`,
    '',
    '| Server | sign-ins/s | authenticated req/s | auth p50 | auth p99 | loop p99 | errors | target (auth p99 < 20 ms, loop p99 < 10 ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const [key, name] of [['storm.lk', 'latchkey'], ['storm.baEq', 'Better Auth (equal cost)'], ['storm.baDef', 'Better Auth default']] as const) {
    const s = r.storms[key] ?? [];
    const authP99 = medianOf(s, (x) => x.authP99);
    const loopP99 = medianOf(s, (x) => x.loopP99Ms);
    const cells = [
      name,
      num(medianOf(s, (x) => x.signInRps)),
      num(medianOf(s, (x) => x.authRps)),
      ms(medianOf(s, (x) => x.authP50)),
      ms(authP99),
      ms(loopP99),
      String(s.reduce((sum, x) => sum + x.errors, 0)),
      key === 'storm.lk' ? verdict(authP99 < 20 && loopP99 < 10) : '',
    ];
    storm.push(`| ${cells.join(' | ')} |`);
  }

  const median = (xs: number[]) => medianOf(xs, (x) => x);
  const ceilings = [
    '',
    '| Ceiling (measured in the runner process, servers idle: scrypt before and after each round\'s sign-ups and sign-ins, the rest in every pass) | per second | spread |',
    '|---|---:|---:|',
    `| bare scrypt at the equal cost, the best of the ways below | ${num(median(scrypt))} | ${range(spread(scrypt))} |`,
    ...(['libuv pool', 'one thread per core', 'two threads per core'] as const).map((way) => {
      const rates = r.ceilings.scryptWays.map((w) => w[way]);
      const how = way === 'libuv pool' ? `node:crypto scrypt, ${process.env.UV_THREADPOOL_SIZE ?? 4} in flight` : 'worker threads, scryptSync back to back';
      return `| — ${way} (${how}) | ${num(median(rates))} | ${range(spread(rates))} |`;
    }),
    `| bare scrypt at Better Auth's default cost (the best of the same ways) | ${num(median(scryptBaDefault))} | ${range(spread(scryptBaDefault))} |`,
    `| bare jose EdDSA jwtVerify (32 in flight) | ${num(median(jose))} | ${range(spread(jose))} |`,
    `| latchkey verifyAccessToken, stateless, every signature checked (in process, 32 in flight, verifiedTokenCache: 0): ${pct(verifyShare)} of bare jose; target ≥ 80 %: ${verdict(verifyShare >= 0.8)} | ${num(median(latchkeyVerify))} | ${range(spread(latchkeyVerify))} |`,
    `| latchkey verifyAccessToken, stateless, the same token again (in process, 32 in flight, the default cache) | ${num(median(latchkeyVerifyCached))} | ${range(spread(latchkeyVerifyCached))} |`,
    `| SQLite writes (better-sqlite3, WAL, one thread), the better of the ways below | ${num(median(sqliteWriteBest))} | ${range(spread(sqliteWriteBest))} |`,
    `| — one INSERT per transaction | ${num(median(sqliteWrite))} | ${range(spread(sqliteWrite))} |`,
    `| — eight INSERTs per transaction (group commit) | ${num(median(sqliteWriteGrouped))} | ${range(spread(sqliteWriteGrouped))} |`,
    '',
    '| Server | peak RSS |',
    '|---|---:|',
    ...r.peakRss.map((s) => `| ${s.name} | ${mib(s.bytes)} |`),
    '',
    'req/s, p50, p99 and loop p99 are medians over the rounds (sign-up, sign-in, the storm) or the passes (the rest); "spread" is the lowest and highest req/s of them. Ratios and "% of ceiling" are per-round or per-pass ratios (each pair measured in the same round or pass), then their median. Sign-up and sign-in are held against the bare-scrypt ceiling of their cost, authenticated requests and the guarded host route against one empty route plus one bare jose verification (1 / (1/empty + 1/jose), per pass), the stateless route against bare jose verification (the in-process check with the cache off is the target\'s), refresh against SQLite writes (the better of one INSERT per transaction and eight). "loop p99" is the server\'s event-loop delay p99 (perf_hooks.monitorEventLoopDelay) during that scenario. See docs/benchmarks.md.',
  ];
  return [...settings.header, '', ...rows, ...storm, ...ceilings, ''].join('\n');
}
