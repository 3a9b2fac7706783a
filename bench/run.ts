/**
 * latchkey vs Better Auth, side by side in one run, on 127.0.0.1 only.
 *   npm run bench              (a few minutes)
 *   npm run bench -- --quick   (under a minute, noisier)
 * Prints a markdown table and writes bench/results/latest.md. See docs/benchmarks.md for how to read it.
 * Not a test: nothing asserts a timing.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { scrypt as nodeScrypt, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus, tmpdir, totalmem, release, platform, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, generateKeyPair, jwtVerify } from 'jose';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const quick = process.argv.includes('--quick');
/** The configured cost for the equal-cost comparison: latchkey's default (N=2^14, r=8, p=5). */
const PARAMS = { ln: 14, r: 8, p: 5 };
const DURATION = quick ? 3 : 10; // seconds per scenario per server
const WARMUP = quick ? 1 : 3;
const HASH_CONNECTIONS = 8; // sign-up / sign-in: enough to keep the libuv pool (4 threads) full
const LIGHT_CONNECTIONS = 32;
const LIGHT_DURATION = quick ? 2 : 10; // seconds per light scenario (authenticated, stateless, refresh)
/** Refresh: concurrent sessions, each refreshing its own token in a loop (a fetch loop, see refreshLoop). */
const REFRESH_WORKERS = 8;
const PASSWORD = 'correct horse battery staple';

// ---------------------------------------------------------------- child processes

interface Server {
  name: string;
  child: ChildProcess;
  base: string;
}
const children = new Set<ChildProcess>();
function stopAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAll();
    process.exit(130);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function start(name: string, script: string, args: (port: number) => string[]): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'servers', script), ...args(port)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  children.add(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { name, child, base: `http://127.0.0.1:${port}` };
}

async function stop(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.delete(child);
}

/** Better Auth in production rejects a POST without an Origin (CSRF check); a browser would send its own. */
async function post(url: string, body: unknown): Promise<Response> {
  const origin = new URL(url).origin;
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });
}
async function stats(server: Server, reset = false) {
  const res = await fetch(`${server.base}/__bench/stats${reset ? '?reset=1' : ''}`);
  return (await res.json()) as { peakRss: number; loopP99Ms: number; loopMaxMs: number };
}

// ---------------------------------------------------------------- load

interface Measured {
  rps: number; // 2xx per second
  p50: number;
  p99: number;
  errors: number; // non-2xx + socket errors + timeouts
  loopP99Ms: number;
}

type Req = autocannon.Request;

async function load(server: Server, requests: Req[], connections: number, duration: number): Promise<Measured> {
  await stats(server, true);
  const result = await autocannon({
    url: server.base,
    connections,
    duration,
    requests,
    timeout: 30,
  });
  const s = await stats(server);
  const ok = (result as any)['2xx'] as number;
  return {
    rps: ok / (result.duration || duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    loopP99Ms: s.loopP99Ms,
  };
}

let emailCounter = 0;
const runId = Date.now().toString(36);
function signUpRequest(kind: 'latchkey' | 'better-auth', origin: string): Req {
  return {
    method: 'POST',
    path: kind === 'latchkey' ? '/auth/accounts' : '/api/auth/sign-up/email',
    headers: { 'content-type': 'application/json', origin },
    setupRequest(req) {
      const email = `u-${runId}-${emailCounter++}@bench.test`;
      req.body = JSON.stringify(kind === 'latchkey' ? { email, password: PASSWORD } : { email, password: PASSWORD, name: 'Bench' });
      return req;
    },
  };
}
function signInRequest(kind: 'latchkey' | 'better-auth', email: string, origin: string): Req {
  return {
    method: 'POST',
    path: kind === 'latchkey' ? '/auth/login' : '/api/auth/sign-in/email',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password: PASSWORD }),
  };
}

interface Prepared {
  server: Server;
  kind: 'latchkey' | 'better-auth';
  email: string;
  authRequest: Req;
  statelessRequest?: Req;
  refreshPool?: string[];
}

async function prepare(server: Server, kind: 'latchkey' | 'better-auth', refreshSessions = 0): Promise<Prepared> {
  const email = `fixed-${runId}@bench.test`;
  if (kind === 'latchkey') {
    const created = await post(`${server.base}/auth/accounts`, { email, password: PASSWORD });
    if (!created.ok) throw new Error(`${server.name}: sign-up ${created.status} ${await created.text()}`);
    const login = async () => {
      const res = await post(`${server.base}/auth/login`, { email, password: PASSWORD });
      if (!res.ok) throw new Error(`${server.name}: login ${res.status} ${await res.text()}`);
      return (await res.json()) as { accessToken: string; refreshToken: string };
    };
    const { accessToken } = await login();
    const refreshPool: string[] = [];
    for (let i = 0; i < refreshSessions; i++) refreshPool.push((await login()).refreshToken);
    const bearer = { authorization: `Bearer ${accessToken}` };
    return {
      server,
      kind,
      email,
      authRequest: { method: 'GET', path: '/auth/account', headers: bearer },
      statelessRequest: { method: 'GET', path: '/stateless', headers: bearer },
      refreshPool,
    };
  }
  const created = await post(`${server.base}/api/auth/sign-up/email`, { email, password: PASSWORD, name: 'Bench' });
  if (!created.ok) throw new Error(`${server.name}: sign-up ${created.status} ${await created.text()}`);
  const res = await post(`${server.base}/api/auth/sign-in/email`, { email, password: PASSWORD });
  if (!res.ok) throw new Error(`${server.name}: sign-in ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const check = await fetch(`${server.base}/api/auth/get-session`, { headers: { cookie } });
  const session = (await check.json()) as { session?: unknown } | null;
  if (!session?.session) throw new Error(`${server.name}: get-session with the sign-in cookie returned no session`);
  return { server, kind, email, authRequest: { method: 'GET', path: '/api/auth/get-session', headers: { cookie } } };
}

/**
 * Token refresh rotates the token on every call, so each worker carries its own session's latest token
 * from one response into the next request. autocannon resets a connection's context each time it wraps
 * around its request list (with a one-request list: after every request; lib/requestIterator.js), so the
 * token set in onResponse is gone by the next setupRequest, and a replayed token ends the session
 * (refresh_token_reused). This scenario therefore uses a bounded fetch loop: `workers` in flight over
 * keep-alive connections for `seconds`; its latencies include the runner's fetch overhead.
 */
async function refreshLoop(server: Server, pool: string[], workers: number, seconds: number): Promise<Measured> {
  await stats(server, true);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      let token = pool.pop();
      while (token && performance.now() < until) {
        const t = performance.now();
        const res = await post(`${server.base}/auth/token/refresh`, { refreshToken: token });
        const body = await res.text();
        if (res.ok) {
          latencies.push(performance.now() - t);
          token = (JSON.parse(body) as { refreshToken: string }).refreshToken;
        } else {
          errors++;
          token = undefined;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const s = await stats(server);
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, loopP99Ms: s.loopP99Ms };
}

// ---------------------------------------------------------------- ceilings

function scryptOnce(N: number, r: number, p: number, keylen: number): Promise<void> {
  return new Promise((resolve, reject) =>
    nodeScrypt(PASSWORD, randomBytes(16), keylen, { N, r, p, maxmem: 256 * N * r + 1024 }, (e) => (e ? reject(e) : resolve())),
  );
}
/** Hashes/s with node:crypto scrypt, as many in flight as the libuv pool has threads (all cores). */
async function scryptCeiling(N: number, r: number, p: number, keylen: number, seconds: number): Promise<number> {
  const inFlight = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  await scryptOnce(N, r, p, keylen);
  const started = performance.now();
  const until = started + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < until) {
        await scryptOnce(N, r, p, keylen);
        count++;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
/** EdDSA access-token verifications/s with jose on one thread (a server process has one event loop). */
async function joseCeiling(seconds: number): Promise<number> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const token = await new SignJWT({ sid: 'ses_x', grp: 'default' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
    .setIssuer('latchkey')
    .setAudience('latchkey')
    .setSubject('acc_x')
    .setIssuedAt()
    .setExpirationTime('15m')
    .sign(privateKey);
  const options = { issuer: 'latchkey', audience: 'latchkey', algorithms: ['EdDSA'] };
  for (let i = 0; i < 200; i++) await jwtVerify(token, publicKey, options);
  const started = performance.now();
  let count = 0;
  while (performance.now() - started < seconds * 1000) {
    for (let i = 0; i < 100; i++) await jwtVerify(token, publicKey, options);
    count += 100;
  }
  return count / ((performance.now() - started) / 1000);
}

// ---------------------------------------------------------------- report helpers

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '–');
const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : n.toFixed(0)} ms` : '–');
const pct = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${((100 * a) / b).toFixed(0)} %` : '–');
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '–');
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
function version(pkg: string): string {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

// ---------------------------------------------------------------- main

const tmp = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
const servers: Server[] = [];
try {
  const t0 = performance.now();
  console.error(`[bench] ${quick ? 'quick' : 'full'} run: ${DURATION}s per scenario, ${WARMUP}s warm-up`);
  const [lk, baEq, baDef] = await Promise.all([
    start('latchkey', 'latchkey.ts', (port) => [String(port), join(tmp, 'latchkey.sqlite'), String(PARAMS.ln), String(PARAMS.r), String(PARAMS.p)]),
    start('better-auth (equal scrypt)', 'better-auth.ts', (port) => [String(port), join(tmp, 'ba-equal.sqlite'), `${PARAMS.ln},${PARAMS.r},${PARAMS.p}`]),
    start('better-auth (default)', 'better-auth.ts', (port) => [String(port), join(tmp, 'ba-default.sqlite'), 'default']),
  ]);
  servers.push(lk!, baEq!, baDef!);

  const pLk = await prepare(lk!, 'latchkey', REFRESH_WORKERS);
  const pBaEq = await prepare(baEq!, 'better-auth');
  const pBaDef = await prepare(baDef!, 'better-auth');

  // Ceilings first, with the servers idle.
  console.error('[bench] ceilings: bare scrypt and jose');
  const ceilLk = await scryptCeiling(2 ** PARAMS.ln, PARAMS.r, PARAMS.p, 32, quick ? 1.5 : 5);
  const ceilBaDef = await scryptCeiling(16384, 16, 1, 64, quick ? 1.5 : 5);
  const ceilJose = await joseCeiling(quick ? 1 : 3);

  // Warm-up: each server's sign-in and authenticated request.
  console.error('[bench] warm-up');
  for (const p of [pLk, pBaEq, pBaDef]) {
    await load(p.server, [signInRequest(p.kind, p.email, p.server.base)], HASH_CONNECTIONS, WARMUP);
    await load(p.server, [p.authRequest], LIGHT_CONNECTIONS, WARMUP);
  }

  // Scenarios, the servers alternating within each.
  const r: Record<string, Measured> = {};
  const run = async (key: string, p: Prepared, req: Req, connections: number) => {
    console.error(`[bench] ${key}`);
    r[key] = await load(p.server, [req], connections, connections === LIGHT_CONNECTIONS ? LIGHT_DURATION : DURATION);
  };
  await run('signup.lk', pLk, signUpRequest('latchkey', pLk.server.base), HASH_CONNECTIONS);
  await run('signup.baEq', pBaEq, signUpRequest('better-auth', pBaEq.server.base), HASH_CONNECTIONS);
  await run('signup.baDef', pBaDef, signUpRequest('better-auth', pBaDef.server.base), HASH_CONNECTIONS);
  await run('signin.lk', pLk, signInRequest('latchkey', pLk.email, pLk.server.base), HASH_CONNECTIONS);
  await run('signin.baEq', pBaEq, signInRequest('better-auth', pBaEq.email, pBaEq.server.base), HASH_CONNECTIONS);
  await run('signin.baDef', pBaDef, signInRequest('better-auth', pBaDef.email, pBaDef.server.base), HASH_CONNECTIONS);
  await run('auth.lk', pLk, pLk.authRequest, LIGHT_CONNECTIONS);
  await run('auth.baEq', pBaEq, pBaEq.authRequest, LIGHT_CONNECTIONS);
  await run('stateless.lk', pLk, pLk.statelessRequest!, LIGHT_CONNECTIONS);
  console.error('[bench] refresh.lk');
  r['refresh.lk'] = await refreshLoop(lk!, pLk.refreshPool!, REFRESH_WORKERS, LIGHT_DURATION);

  const rss = await Promise.all(servers.map((s) => stats(s).then((x) => x.peakRss)));
  const elapsed = (performance.now() - t0) / 1000;

  // ------------------------------------------------------------ output
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    `# latchkey vs Better Auth — ${new Date().toISOString()}`,
    '',
    `- Machine: ${cpu}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()} ${arch()}`,
    `- Node ${process.version}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
    `- latchkey ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version} (working tree), better-auth ${version('better-auth')}, hono ${version('hono')}, @hono/node-server ${version('@hono/node-server')}, better-sqlite3 ${version('better-sqlite3')}, kysely ${version('kysely')}, autocannon ${version('autocannon')}, jose ${version('jose')}`,
    `- Mode: ${quick ? '--quick' : 'full'}; per server and scenario ${DURATION} s for sign-up/sign-in (${HASH_CONNECTIONS} connections) and ${LIGHT_DURATION} s for the rest (${LIGHT_CONNECTIONS} connections; refresh: ${REFRESH_WORKERS} sessions refreshing in a fetch loop), after ${WARMUP} s warm-ups; one autocannon process (the runner) on the same machine; total ${elapsed.toFixed(0)} s`,
    `- Equal cost: both use scrypt N=2^${PARAMS.ln}, r=${PARAMS.r}, p=${PARAMS.p}, 32-byte key via node:crypto (Better Auth through its emailAndPassword.password.hash/verify hooks)`,
    `- Default vs default: latchkey's default is the same N=2^14, r=8, p=5; Better Auth's default is node:crypto scrypt N=2^14, r=16, p=1, 64-byte key`,
    `- Storage: a temp SQLite file per server (better-sqlite3, WAL); rate limiting off on both (all load comes from 127.0.0.1); Better Auth autoSignIn off (latchkey's sign-up makes no session either)`,
    '',
  ];
  const rows: string[] = [
    '| Scenario | Server | req/s | p50 | p99 | errors | loop p99 | latchkey / BA | % of ceiling |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const row = (scenario: string, server: string, m: Measured, vs: string, ofCeiling: string) =>
    rows.push(`| ${scenario} | ${server} | ${f0(m.rps)} | ${ms(m.p50)} | ${ms(m.p99)} | ${m.errors} | ${ms(m.loopP99Ms)} | ${vs} | ${ofCeiling} |`);
  row('sign-up (equal cost)', 'latchkey', r['signup.lk']!, ratio(r['signup.lk']!.rps, r['signup.baEq']!.rps), pct(r['signup.lk']!.rps, ceilLk));
  row('sign-up (equal cost)', 'Better Auth', r['signup.baEq']!, '', pct(r['signup.baEq']!.rps, ceilLk));
  row('sign-up (defaults)', 'Better Auth default', r['signup.baDef']!, ratio(r['signup.lk']!.rps, r['signup.baDef']!.rps), pct(r['signup.baDef']!.rps, ceilBaDef));
  row('sign-in (equal cost)', 'latchkey', r['signin.lk']!, ratio(r['signin.lk']!.rps, r['signin.baEq']!.rps), pct(r['signin.lk']!.rps, ceilLk));
  row('sign-in (equal cost)', 'Better Auth', r['signin.baEq']!, '', pct(r['signin.baEq']!.rps, ceilLk));
  row('sign-in (defaults)', 'Better Auth default', r['signin.baDef']!, ratio(r['signin.lk']!.rps, r['signin.baDef']!.rps), pct(r['signin.baDef']!.rps, ceilBaDef));
  row('authenticated request', 'latchkey GET /auth/account (bearer)', r['auth.lk']!, ratio(r['auth.lk']!.rps, r['auth.baEq']!.rps), pct(r['auth.lk']!.rps, ceilJose));
  row('authenticated request', 'Better Auth get-session (cookie)', r['auth.baEq']!, '', '');
  row('stateless verify', 'latchkey verifyAccessToken in a host route', r['stateless.lk']!, '', pct(r['stateless.lk']!.rps, ceilJose));
  row('token refresh', `latchkey (${REFRESH_WORKERS} sessions, fetch loop)`, r['refresh.lk']!, '(latchkey only)', '');
  const ceilings = [
    '',
    '| Ceiling (measured in this run, servers idle) | per second |',
    '|---|---:|',
    `| bare scrypt N=2^${PARAMS.ln}, r=${PARAMS.r}, p=${PARAMS.p} (node:crypto, ${process.env.UV_THREADPOOL_SIZE ?? 4} in flight, all cores) | ${f0(ceilLk)} |`,
    `| bare scrypt N=2^14, r=16, p=1, 64-byte key (Better Auth default, same method) | ${f0(ceilBaDef)} |`,
    `| bare jose EdDSA jwtVerify (one thread) | ${f0(ceilJose)} |`,
    '',
    '| Server | peak RSS |',
    '|---|---:|',
    ...servers.map((s, i) => `| ${s.name} | ${mib(rss[i]!)} |`),
    '',
    'Ratios are latchkey req/s ÷ Better Auth req/s for the same scenario. "% of ceiling" is req/s ÷ the bare ceiling: sign-up and sign-in against the scrypt ceiling of that row\'s parameters, authenticated and stateless requests against one thread of jose verification. "loop p99" is the server\'s event-loop delay p99 (perf_hooks.monitorEventLoopDelay) during that scenario. Not measured in this version: the login storm (issue 7, scenario 5) and a SQLite single-write floor for refresh.',
  ];
  const markdown = [...header, ...rows, ...ceilings, ''].join('\n');
  console.log(markdown);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.md'), markdown);
  console.error('[bench] wrote bench/results/latest.md');
} catch (error) {
  console.error('[bench] failed:', error);
  process.exitCode = 1;
} finally {
  await Promise.all(servers.map(stop));
  stopAll();
  rmSync(tmp, { recursive: true, force: true });
}
