/**
 * The scrypt ceiling, measured every way a Node process can hash, the best of them kept: the libuv pool
 * (node:crypto's async scrypt, as many in flight as the pool has threads), one worker thread per core,
 * and twice as many worker threads as cores. A library that beat a ceiling measured one way only would
 * show the ceiling understated, not the library fast.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PASSWORD } from './requests.js';
import { ratePerSecond } from './rate.js';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

export interface HashCeiling {
  /** The best of the ways, hashes per second. */
  best: number;
  /** Each way's rate, by name. */
  ways: Record<HashWay, number>;
}

export type HashWay = 'libuv pool' | 'one thread per core' | 'two threads per core';

const maxmem = ({ N, r, p }: ScryptCost) => 128 * r * (N + p + 2);

function scryptOnce(cost: ScryptCost): Promise<void> {
  return new Promise((resolve, reject) =>
    scrypt(PASSWORD, randomBytes(16), cost.keyLength, { ...cost, maxmem: maxmem(cost) }, (e) => (e ? reject(e) : resolve())),
  );
}

/** node:crypto's async scrypt with as many in flight as the libuv pool has threads. */
async function libuvPool(cost: ScryptCost, seconds: number): Promise<number> {
  const inFlight = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  await scryptOnce(cost);
  return ratePerSecond(seconds, inFlight, () => scryptOnce(cost));
}

// Each worker hashes synchronously in a loop until told the time is up, then reports its count.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { scryptSync, randomBytes } = require('node:crypto');
const { password, cost, maxmem, until } = workerData;
scryptSync(password, randomBytes(16), cost.keyLength, { ...cost, maxmem });
parentPort.postMessage({ ready: true });
parentPort.once('message', () => {
  let count = 0;
  const started = Date.now();
  while (Date.now() < started + until) { scryptSync(password, randomBytes(16), cost.keyLength, { ...cost, maxmem }); count++; }
  parentPort.postMessage({ count, ms: Date.now() - started });
});
`;

/** `threads` worker threads, each hashing with scryptSync back to back, started together. */
async function workerThreads(cost: ScryptCost, seconds: number, threads: number): Promise<number> {
  const workers = Array.from(
    { length: threads },
    () => new Worker(WORKER, { eval: true, workerData: { password: PASSWORD, cost, maxmem: maxmem(cost), until: seconds * 1000 } }),
  );
  try {
    const message = (worker: Worker) => new Promise<any>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await Promise.all(workers.map(message));
    const done = workers.map(message);
    for (const worker of workers) worker.postMessage('go');
    const results = (await Promise.all(done)) as { count: number; ms: number }[];
    return results.reduce((sum, r) => sum + r.count / (r.ms / 1000), 0);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Hashes per second at `cost`, every way, each for `seconds`; `best` is the highest. */
export async function hashCeiling(cost: ScryptCost, seconds: number): Promise<HashCeiling> {
  const cores = availableParallelism();
  const ways: Record<HashWay, number> = {
    'libuv pool': await libuvPool(cost, seconds),
    'one thread per core': await workerThreads(cost, seconds, cores),
    'two threads per core': await workerThreads(cost, seconds, 2 * cores),
  };
  return { best: Math.max(...Object.values(ways)), ways };
}

/** The best rate of {@link hashCeiling}. */
export async function scryptCeiling(cost: ScryptCost, seconds: number): Promise<number> {
  return (await hashCeiling(cost, seconds)).best;
}
