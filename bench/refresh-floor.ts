/**
 * Refresh against its floor, in one run: latchkey's bench server (`POST /auth/token/refresh` on Hono,
 * as in `npm run bench`), latchkey's core alone behind bare node:http (`bench/servers/core-refresh.ts`),
 * and a bare refresh server (`bench/servers/bare-refresh.ts`: node:http, the same six statements on the
 * same tables, one Ed25519 signature, nothing else), each at 8 connections over 16 sessions, in turns,
 * the order reversed every other round. Prints each one's median and spread and the medians of the
 * per-round ratios to the bare server. Not a test; see docs/benchmarks.md.
 *   npm run bench:refresh-floor -- [rounds, default 5] [seconds per window, default 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cannon, refreshRequest } from './lib/load.js';
import { prepareLatchkey } from './lib/requests.js';
import { startServer, stopServer, waitIdle, type Server } from './lib/servers.js';
import { median } from './lib/stats.js';

const rounds = Number(process.argv[2] ?? 5);
const seconds = Number(process.argv[3] ?? 3);
const SESSIONS = 16;
const CONNECTIONS = 8;

const tmp = mkdtempSync(join(tmpdir(), 'latchkey-refresh-floor-'));
const servers: Server[] = [];
try {
  const lk = await startServer('latchkey', 'latchkey.ts', (port) => [String(port), join(tmp, 'lk.sqlite'), '14', '8', '5']);
  servers.push(lk);
  const core = await startServer('core refresh', 'core-refresh.ts', (port) => [String(port), join(tmp, 'core.sqlite')]);
  servers.push(core);
  const bare = await startServer('bare refresh', 'bare-refresh.ts', (port) => [String(port), join(tmp, 'bare.sqlite')]);
  servers.push(bare);
  const pLk = await prepareLatchkey(lk);
  const seed = (server: Server) => async (n: number) =>
    (await (await fetch(`${server.base}/__seed?n=${n}`, { method: 'POST' })).json()) as string[];
  const sides = [
    { name: 'latchkey on Hono, POST /auth/token/refresh (the bench server)', server: lk, pool: [] as string[], fresh: (n: number) => pLk.freshSessions!(n), rps: [] as number[] },
    { name: "latchkey's core (auth.refresh) behind bare node:http", server: core, pool: [] as string[], fresh: seed(core), rps: [] as number[] },
    { name: 'bare refresh server (the same six statements and one signature)', server: bare, pool: [] as string[], fresh: seed(bare), rps: [] as number[] },
  ];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      // Sessions whose refresh was in flight when the last window closed took their tokens with them.
      side.pool.push(...(await side.fresh(SESSIONS - side.pool.length)));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const measured = await cannon(side.server, [refreshRequest(side.pool)], { connections: CONNECTIONS, seconds });
      if (measured.errors > 0) throw new Error(`${side.name}: ${measured.errors} errors`);
      // latchkey's server reports its backlog; the bare one has none that outlives the window.
      if (side.server === lk) await waitIdle(lk);
      side.rps.push(measured.rps);
    }
    console.error(`[refresh-floor] round ${round + 1}/${rounds}: ${sides.map((s) => `${s.name} ${Math.round(s.rps[round]!)}/s`).join(', ')}`);
  }
  console.log(`| Server | refresh/s (median of ${rounds}) | spread |\n|---|---:|---:|`);
  for (const side of sides) {
    console.log(`| ${side.name} | ${Math.round(median(side.rps))} | ${Math.round(Math.min(...side.rps))}–${Math.round(Math.max(...side.rps))} |`);
  }
  const floor = sides[2]!.rps;
  for (const side of sides.slice(0, 2)) {
    const share = median(side.rps.map((rps, round) => rps / floor[round]!));
    console.log(`\n${side.name}: ${Math.round(100 * share)} % of the bare refresh server (median of the per-round ratios).`);
  }
} finally {
  await Promise.all(servers.map(stopServer));
  rmSync(tmp, { recursive: true, force: true });
}
process.exit();
