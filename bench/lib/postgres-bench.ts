/**
 * latchkey vs Better Auth on PostgreSQL, each as two instances on one database behind the round-robin
 * proxy; and latchkey's login and refresh latency with 1,000,000 accounts against an empty table.
 * Run standalone by bench/postgres.ts; `postgresBench` returns the markdown so that run.ts can add it.
 * Not a test: nothing asserts a timing. See docs/benchmarks.md.
 */
import pg from 'pg';
import { joseCeiling, scryptCeiling } from './ceilings.js';
import { alternate, clusterPeakRss, loadCluster, startCluster, stopCluster, type Cluster } from './cluster.js';
import { combineLatencies, measureLatency, type Call, type Latency } from './latency.js';
import { refreshRequest, type LoadOptions, type Req } from './load.js';
import { postgresHeader, postgresReport, type PostgresResults } from './postgres-report.js';
import { adminUrl, databaseUrl, dropDatabases, postgresWriteFloor, recreateDatabases, seedAccounts, seededEmail } from './postgres-seed.js';
import { PASSWORD, prepareBetterAuth, prepareLatchkey, signInRequest, type Prepared } from './requests.js';

export interface PostgresBenchOptions {
  /** One short round instead of three: noisier, under two minutes. */
  quick: boolean;
  log: (message: string) => void;
}

/** The equal cost, as in run.ts: latchkey's default scrypt, N=2^14, r=8, p=5, 32-byte key. */
const COST = { ln: 14, r: 8, p: 5 };
const ACCOUNTS = 1_000_000;
const HASH = { connections: 8 };
const LIGHT = { connections: 32 };
const REFRESH = { connections: 8, sessions: 16 };
/** The 1M check: one client per instance, each waiting for its answer, so latency is not queueing. */
const CHECK = { clients: 2 };
const DATABASES = { lk: 'latchkey_bench', ba: 'better_auth_bench', empty: 'latchkey_bench_empty', full: 'latchkey_bench_1m' };

const modeOf = (quick: boolean) =>
  quick
    ? { rounds: 1, hashSeconds: 4, lightSeconds: 3, loginCheckSeconds: 4, refreshCheckSeconds: 2, warmup: 0.7, scryptSeconds: 1, joseSeconds: 0.7, floorSeconds: 0.5 }
    : { rounds: 3, hashSeconds: 8, lightSeconds: 5, loginCheckSeconds: 10, refreshCheckSeconds: 5, warmup: 3, scryptSeconds: 3, joseSeconds: 2, floorSeconds: 1 };

/** Runs the whole PostgreSQL bench (its databases dropped and made anew) and returns its markdown report. */
export async function postgresBench({ quick, log }: PostgresBenchOptions): Promise<string> {
  const t0 = performance.now();
  const mode = modeOf(quick);
  log(`PostgreSQL ${quick ? 'quick' : 'full'} run: ${mode.rounds} round(s)`);
  await recreateDatabases(Object.values(DATABASES));
  const clusters: Cluster[] = [];
  try {
    const latchkey = (db: string) => (port: number) => [String(port), databaseUrl(db), String(COST.ln), String(COST.r), String(COST.p)];
    // Each kept as soon as it runs, so that a failure of another still stops it.
    const kept = (cluster: Promise<Cluster>) => cluster.then((c) => (clusters.push(c), c));
    const [lk, ba, empty, full] = await Promise.all([
      kept(startCluster('latchkey ×2', 'latchkey.ts', latchkey(DATABASES.lk))),
      kept(startCluster('Better Auth ×2', 'better-auth.ts', (port, publicUrl) => [String(port), databaseUrl(DATABASES.ba), `${COST.ln},${COST.r},${COST.p}`, publicUrl])),
      kept(startCluster('latchkey ×2, empty table', 'latchkey.ts', latchkey(DATABASES.empty))),
      kept(startCluster(`latchkey ×2, ${ACCOUNTS.toLocaleString('en')} accounts`, 'latchkey.ts', latchkey(DATABASES.full))),
    ]);
    const [pLk, pBa, pEmpty, pFull] = (await Promise.all([
      prepareLatchkey(lk.proxy),
      prepareBetterAuth(ba.proxy),
      prepareLatchkey(empty.proxy),
      prepareLatchkey(full.proxy),
    ])) as [Prepared, Prepared, Prepared, Prepared];

    log(`seeding ${ACCOUNTS.toLocaleString('en')} accounts into ${DATABASES.full}`);
    const seeded = await seedAccounts(databaseUrl(DATABASES.full), pFull.email, ACCOUNTS, log);
    log(`seeded in ${seeded.seconds.toFixed(0)} s`);

    // The 1M check's requests: logins as one account of the table, picked at random each time; refreshes
    // along one session per client, each answer's token sent next.
    const loginAs = (email: () => string) => (): Call => ({ method: 'POST', path: '/auth/login', body: JSON.stringify({ email: email(), password: PASSWORD }) });
    const checks = [
      { id: 'empty', p: pEmpty, login: loginAs(() => pEmpty.email) },
      { id: 'full', p: pFull, login: loginAs(() => seededEmail(1 + Math.floor(Math.random() * ACCOUNTS))) },
    ];
    type Check = (typeof checks)[number];
    const loginCheck = (c: Check, seconds: number) =>
      measureLatency(c.p.server.base, { ...CHECK, seconds }, c.login);
    const refreshCheck = async (c: Check, seconds: number) => {
      const tokens = await c.p.freshSessions!(CHECK.clients);
      return measureLatency(
        c.p.server.base,
        { ...CHECK, seconds },
        (client) => ({ method: 'POST', path: '/auth/token/refresh', body: JSON.stringify({ refreshToken: tokens[client] }) }),
        (client, body) => (tokens[client] = (JSON.parse(body) as { refreshToken: string }).refreshToken),
      );
    };

    // Warm-up (nothing is measured): the paths compiled and every instance's pool connected. Through
    // the proxy, 4 and 32 connections reach both instances.
    log('warm-up');
    const both: [string, Prepared, Cluster][] = [['lk', pLk, lk], ['ba', pBa, ba]];
    await Promise.all(
      both.map(async ([, p, cluster]) => {
        await loadCluster(cluster, [signInRequest(p.kind, p.server, p.email)], { connections: 4, seconds: mode.warmup });
        await loadCluster(cluster, [p.authRequest], { ...LIGHT, seconds: mode.warmup });
      }),
    );
    for (const c of checks) {
      await loginCheck(c, mode.warmup);
      await refreshCheck(c, mode.warmup);
    }

    const results: PostgresResults = { runs: {}, checks: {}, ceilings: { scrypt: [], jose: [], postgresWrite: [] }, peakRss: [], seeded };
    const record = <T>(into: Record<string, T[]>, key: string, value: T) => (into[key] ??= []).push(value);
    for (let round = 0; round < mode.rounds; round++) {
      log(`round ${round + 1}/${mode.rounds}: ceilings`);
      results.ceilings.scrypt.push(await scryptCeiling({ N: 2 ** COST.ln, r: COST.r, p: COST.p, keyLength: 32 }, mode.scryptSeconds));
      results.ceilings.jose.push(await joseCeiling(mode.joseSeconds));
      results.ceilings.postgresWrite.push(await postgresWriteFloor(databaseUrl(DATABASES.lk), mode.floorSeconds));

      // The order of the servers turns every round, against drift.
      const turn = <T>(xs: T[]) => xs.map((_, i) => xs[(i + round) % xs.length]!);
      // Each ratio's two sides in the order A B B A (B A A B the next round), half the window each.
      const [first, second] = turn(both) as [typeof both[number], typeof both[number]];
      const pair = async (name: string, requests: (p: Prepared) => Req[], options: LoadOptions) => {
        log(`round ${round + 1}: ${name}, ${first[2].proxy.name} and ${second[2].proxy.name} (A B B A)`);
        const [a, b] = await alternate([first[2], requests(first[1])], [second[2], requests(second[1])], options);
        record(results.runs, `${name}.${first[0]}`, a);
        record(results.runs, `${name}.${second[0]}`, b);
      };
      await pair('signin', (p) => [signInRequest(p.kind, p.server, p.email)], { ...HASH, seconds: mode.hashSeconds });
      await pair('auth', (p) => [p.authRequest], { ...LIGHT, seconds: mode.lightSeconds });
      log(`round ${round + 1}: refresh on ${lk.proxy.name}`);
      const pool = await pLk.freshSessions!(REFRESH.sessions);
      record(results.runs, 'refresh.lk', await loadCluster(lk, [refreshRequest(pool)], { connections: REFRESH.connections, seconds: mode.lightSeconds }));

      // Each table in two halves, in the order A B B A (B A A B the next round): a drift in the
      // machine's load over the round weighs on both tables alike.
      const [a, b] = turn(checks) as [Check, Check];
      for (const [request, measure, seconds] of [
        ['login', loginCheck, mode.loginCheckSeconds],
        ['refresh', refreshCheck, mode.refreshCheckSeconds],
      ] as const) {
        log(`round ${round + 1}: ${request} latency, empty table and 1M accounts`);
        const halves: Record<string, Latency[]> = { empty: [], full: [] };
        for (const c of [a, b, b, a]) halves[c.id]!.push(await measure(c, seconds / 2));
        for (const id of ['empty', 'full']) record(results.checks, `${request}.${id}`, combineLatencies(halves[id]!));
      }
    }

    for (const cluster of [lk, ba]) results.peakRss.push(...(await clusterPeakRss(cluster)));
    const settings = await postgresSettings();
    return postgresReport(results, {
      header: postgresHeader({
        quick,
        elapsedSeconds: (performance.now() - t0) / 1000,
        cost: COST,
        mode,
        hash: HASH,
        light: LIGHT,
        refresh: REFRESH,
        check: CHECK,
        postgres: settings,
        seeded,
      }),
      refreshSessions: REFRESH.sessions,
      checkClients: CHECK.clients,
    });
  } finally {
    await Promise.all(clusters.map(stopCluster));
    // 1,000,000 accounts take about 2 GB; every run makes its databases anew anyway.
    await dropDatabases(Object.values(DATABASES)).catch((error: unknown) => log(`could not drop the bench databases: ${String(error)}`));
  }
}

async function postgresSettings(): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const show = async (name: string) => ((await client.query<Record<string, string>>(`show ${name}`)).rows[0]?.[name] ?? '?');
    return `PostgreSQL ${await show('server_version')} on ${new URL(adminUrl).host} (shared_buffers ${await show('shared_buffers')}, synchronous_commit ${await show('synchronous_commit')}, max_connections ${await show('max_connections')})`;
  } finally {
    await client.end();
  }
}
