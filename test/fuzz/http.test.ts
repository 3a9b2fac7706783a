import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { routes } from '../../src/http/routes.js';
import { createFixture, type Fixture } from './fixture.js';
import { type FuzzRequest, routeRequests, strayRequests } from './requests.js';

/**
 * Issue 19: every route of the table, fed valid and hostile bodies, queries, params and headers, never
 * answers a 5xx, never leaks a stack trace or SQL, and does not grow memory. `LATCHKEY_FUZZ_RUNS` sets
 * the number of requests (`npm run fuzz` runs ten times the default); `LATCHKEY_FUZZ_SECONDS` bounds the
 * time, after which the run stops early and says how many it sent; `LATCHKEY_FUZZ_SEED` replays a run and
 * `LATCHKEY_FUZZ_REPORT=file.json` writes the failing requests there.
 */
const RUNS = Number(process.env.LATCHKEY_FUZZ_RUNS ?? 100_000);
const SECONDS = Number(process.env.LATCHKEY_FUZZ_SECONDS ?? 60);
/** A fresh instance every so many requests: bounds the rows the manual clock never expires. */
const REBUILD_EVERY = 2_000;
const MEMORY_GROWTH_LIMIT = 100 * 1024 * 1024;

// A full collection before each reading, so that the growth counts what is still reachable, not garbage
// that has not been collected yet (which varies from run to run by tens of megabytes).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const LEAKS: [string, RegExp][] = [
  ['stack trace', /\n\s+at |\bat .*\.[cm]?[jt]s:\d+/],
  ['source path', /\.ts:\d|node_modules|\/src\//],
  ['SQL', /\bselect\s.+\sfrom\s|\binsert\s+into\b|\bupdate\s+\S+\s+set\s|\bdelete\s+from\b|sqlite|postgres|mysql|syntax error/i],
  ['internal_error', /internal_error|server_error/],
];

const request = fc.oneof(
  { weight: 12, arbitrary: fc.oneof(...routes.map(routeRequests)) },
  { weight: 1, arbitrary: strayRequests() },
);

function toRequest(r: FuzzRequest, fixture: Fixture): Request {
  const path = r.path.replace(/@account|@admin/g, (name) => (name === '@account' ? fixture.ids.account : fixture.ids.admin));
  const url = `http://localhost/auth${path.startsWith('/') || path === '' ? '' : '/'}${path}${r.query ? '?' + r.query : ''}`;
  const headers = new Headers(r.headers);
  const token = r.token === 'none' ? null : r.token === 'garbage' ? r.garbageToken : fixture.tokens[r.token];
  if (token !== null) headers.set('authorization', r.scheme + token);
  const bodyless = ['GET', 'HEAD'].includes(r.method.toUpperCase());
  return new Request(url, { method: r.method, headers, body: bodyless ? null : r.body });
}

/** What is wrong with an answer, or null. */
function problem(status: number, text: string): string | null {
  if (status >= 500) return `status ${status}`;
  if (status < 400) return null; // success bodies are the caller's own data (and the OpenAPI prose)
  for (const [what, pattern] of LEAKS) if (pattern.test(text)) return `${what} in body`;
  return null;
}

it('fuzz: no route answers a 5xx or leaks internals, and memory stays flat', { timeout: (SECONDS + 60) * 1000 }, async () => {
  const started = Date.now();
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const failures: { problem: string; status: number; body: string; request: FuzzRequest }[] = [];
  const seen = new Set<string>();
  let fixture = await createFixture();
  let sent = 0;
  let skipped = 0;
  let sinceRebuild = 0;
  let stale = false;
  let rebuilds = 0;
  let handlerMs = 0;
  const statuses = new Map<number, number>();

  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      if (stale && sinceRebuild < REBUILD_EVERY && (await fixture.refresh())) stale = false;
      if (stale || sinceRebuild >= REBUILD_EVERY) {
        fixture = await createFixture();
        rebuilds++;
        sinceRebuild = 0;
        stale = false;
      }
      let req: Request;
      try {
        req = toRequest(r, fixture);
      } catch {
        skipped++; // a header or URL no client could send
        return;
      }
      sent++;
      sinceRebuild++;
      const ip = r.sameIp ? '10.0.0.1' : `10.${(sent >> 16) & 255}.${(sent >> 8) & 255}.${sent & 255}`;
      const t0 = performance.now();
      const res = await (r.proxied ? fixture.proxied : fixture.direct)(req, { ip });
      const text = await res.text();
      handlerMs += performance.now() - t0;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      // A real token that changed something (logout, panic, delete, lock...) may be dead now.
      if ((r.token === 'account' || r.token === 'admin') && res.status < 300 && req.method !== 'GET') stale = true;
      const found = problem(res.status, text);
      if (found) {
        const key = `${found} ${r.method} ${r.path.replace(/\/[^/]*@\w+[^/]*|\/[^/]{30,}/g, '/…')}`;
        if (!seen.has(key) && failures.length < 30) failures.push({ problem: found, status: res.status, body: text.slice(0, 500), request: { ...r, body: r.body?.slice(0, 500) ?? null } });
        seen.add(key);
      }
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false, seed: process.env.LATCHKEY_FUZZ_SEED ? Number(process.env.LATCHKEY_FUZZ_SEED) : undefined },
  );

  collectGarbage();
  const growth = process.memoryUsage().heapUsed - heapBefore;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(' ');
  console.info(`fuzz: ${sent} requests (${skipped} unsendable) in ${seconds}s, ${rebuilds} fresh instances, ${(handlerMs / 1000).toFixed(1)}s in the handler, heap +${(growth / 1048576).toFixed(1)} MB; ${byStatus}`);
  if (process.env.LATCHKEY_FUZZ_REPORT) (await import('node:fs')).writeFileSync(process.env.LATCHKEY_FUZZ_REPORT, JSON.stringify(failures, null, 2));
  expect(failures).toEqual([]);
  expect(growth).toBeLessThan(MEMORY_GROWTH_LIMIT);
});
