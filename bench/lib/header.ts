/** The top of the report: machine, versions and every parameter of the run. */
import { readFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { root } from './paths.js';

/** An installed package's version, or `?`. */
export function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

export interface HeaderInput {
  quick: boolean;
  elapsedSeconds: number;
  cost: { ln: number; r: number; p: number };
  mode: { rounds: number; passes: number; hashSeconds: number; lightSeconds: number; stormSeconds: number; warmup: number; settleMs: number };
  hash: { connections: number };
  light: { connections: number };
  latency: { connections: number };
  refresh: { connections: number; sessions: number };
  storm: { signInConnections: number; authRate: number; authConnections: number };
}

/** latchkey's own version, from the working tree. */
export const latchkeyVersion = (): string => (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

export function header(h: HeaderInput): string[] {
  const { cost, mode } = h;
  const libraries = ['better-auth', 'hono', '@hono/node-server', 'better-sqlite3', 'kysely', 'autocannon', 'jose']
    .map((pkg) => `${pkg} ${version(pkg)}`)
    .join(', ');
  return [
    `# latchkey vs Better Auth — ${new Date().toISOString()}`,
    '',
    `- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()} ${arch()}`,
    `- Node ${process.version}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
    `- latchkey ${latchkeyVersion()} (working tree), ${libraries}`,
    `- Mode: ${h.quick ? '--quick' : 'full'}, total ${h.elapsedSeconds.toFixed(0)} s. ${mode.rounds} round(s) of the hash-bound scenarios, per server: sign-up and sign-in ${mode.hashSeconds} s each (${h.hash.connections} connections), with the scrypt ceilings measured before and after them and averaged; login storm ${mode.stormSeconds} s (${h.storm.signInConnections} sign-in connections, authenticated requests at ${h.storm.authRate}/s over ${h.storm.authConnections} connections). ${mode.passes} passes of the light scenarios, the order reversed every other pass, ${mode.lightSeconds} s each: the in-process ceilings (jose, verifyAccessToken with the verified-token cache off and on, a SQLite write), the authenticated request on both servers and on latchkey with the cache off (verifiedTokenCache: 0, every signature checked), the guarded host route, the authenticated request again at ${h.latency.connections} connections for its latency, the stateless and empty routes (${h.light.connections} connections), refresh (${h.refresh.connections} connections over ${h.refresh.sessions} sessions). Warm-up ${mode.warmup} s of sign-in and authenticated requests per server; each measurement starts after a ${mode.settleMs / 1000} s pause. The load generator (autocannon) runs in the runner process on the same machine.`,
    `- Equal cost: both hash with scrypt N=2^${cost.ln}, r=${cost.r}, p=${cost.p}, 32-byte key. latchkey uses its default hasher (its own hashing threads, one per core, nice 10); Better Auth gets the same parameters through its emailAndPassword.password.hash/verify hooks, hashing with node:crypto on the libuv pool as its own default does.`,
    `- Default vs default: latchkey's default is the cost above; Better Auth's default is node:crypto scrypt N=2^14, r=16, p=1, 64-byte key.`,
    `- Storage: a temp SQLite file per server (better-sqlite3, WAL). Rate limiting off on both (all load comes from 127.0.0.1). Better Auth autoSignIn off (latchkey's sign-up opens no session either).`,
  ];
}
