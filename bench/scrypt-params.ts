/**
 * Which of OWASP's scrypt settings gives the most hashes per second here?
 * Run: `npx tsx bench/scrypt-params.ts` (about 30 s). Numbers go in docs/password-hashing.md.
 *
 * The settings are OWASP's equivalents, not equal work: scrypt's cost is about N·r·p block mixes, so
 * the table also shows the work relative to 2^17/8/1 and the throughput per unit of that work.
 * It drives the hasher's engine directly (node:crypto's async scrypt on the libuv pool), because
 * 2^17/8/1 needs a 128 MiB buffer, above what the hasher accepts (SCRYPT_BOUNDS.maxMemory).
 */
import { availableParallelism } from 'node:os';
import { loadScryptEngine } from '../src/adapters/password/scrypt.js';

const SETTINGS = [
  { ln: 17, r: 8, p: 1 },
  { ln: 16, r: 8, p: 2 },
  { ln: 15, r: 8, p: 3 },
  { ln: 14, r: 8, p: 5 },
  { ln: 13, r: 8, p: 10 },
];
/** Hashes in flight in the concurrent run: libuv's default thread-pool size. */
const CONCURRENCY = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
const ROUNDS = 2; // settings are interleaved, so drift on a shared machine hits them all alike
const PHASE_MS = 1100; // per setting, per round, per phase: 2 rounds × 5 × 2 phases × 1.1 s ≈ 22 s

interface Tally {
  sequential: { count: number; ms: number; faults: number };
  concurrent: { count: number; ms: number };
}

async function timeBox(run: () => Promise<number>): Promise<{ count: number; ms: number; faults: number }> {
  const faultsBefore = process.resourceUsage().minorPageFault;
  const started = performance.now();
  let count = 0;
  while (performance.now() - started < PHASE_MS) count += await run();
  return { count, ms: performance.now() - started, faults: process.resourceUsage().minorPageFault - faultsBefore };
}

const engine = await loadScryptEngine();
const password = new TextEncoder().encode('correct horse');
const hashers = SETTINGS.map((params) => ({
  hash: () => engine.derive(password, crypto.getRandomValues(new Uint8Array(16)), { ...params, keyLength: 32 }),
}));
const tallies: Tally[] = SETTINGS.map(() => ({
  sequential: { count: 0, ms: 0, faults: 0 },
  concurrent: { count: 0, ms: 0 },
}));

for (const hasher of hashers) await hasher.hash(); // loads node:crypto, faults in the allocator

for (let round = 0; round < ROUNDS; round++) {
  for (const [i, hasher] of hashers.entries()) {
    const tally = tallies[i] as Tally;
    const sequential = await timeBox(async () => (await hasher.hash(), 1));
    const concurrent = await timeBox(async () => {
      await Promise.all(Array.from({ length: CONCURRENCY }, () => hasher.hash()));
      return CONCURRENCY;
    });
    tally.sequential.count += sequential.count;
    tally.sequential.ms += sequential.ms;
    tally.sequential.faults += sequential.faults;
    tally.concurrent.count += concurrent.count;
    tally.concurrent.ms += concurrent.ms;
  }
}

console.log(`Node ${process.version}, ${availableParallelism()} CPUs, ${CONCURRENCY} concurrent in the last columns\n`);
console.table(
  SETTINGS.map(({ ln, r, p }, i) => {
    const { sequential, concurrent } = tallies[i] as Tally;
    const work = (2 ** ln * r * p) / (2 ** 17 * 8);
    const perSecond = (concurrent.count * 1000) / concurrent.ms;
    return {
      setting: `N=2^${ln} r=${r} p=${p}`,
      buffer: `${(128 * 2 ** ln * r) / 2 ** 20} MiB`,
      // A fresh mmap'd buffer faults in every 4 KiB page on every call; a reused heap buffer does not.
      'page faults/hash': Math.round(sequential.faults / sequential.count),
      work: Number(work.toFixed(3)),
      'ms/hash': Number((sequential.ms / sequential.count).toFixed(1)),
      'hashes/s': Number(((sequential.count * 1000) / sequential.ms).toFixed(2)),
      [`hashes/s ×${CONCURRENCY}`]: Number(perSecond.toFixed(2)),
      [`work/s ×${CONCURRENCY}`]: Number((perSecond * work).toFixed(2)),
    };
  }),
);
