import { constantTimeEqual } from '../../core/lib/constant-time.js';
import type { ScryptParams } from './scrypt-params.js';
import { ScryptWorkerPool, type ScryptWorkerPoolOptions, type WorkerThreads } from './scrypt-workers.js';

/**
 * @internal How keys are derived and compared: latchkey's own hashing threads where node:worker_threads
 * exists, else node:crypto on the libuv pool, else @noble/hashes.
 */
export interface ScryptEngine {
  derive(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array>;
  equal(a: Uint8Array, b: Uint8Array): boolean;
}

/** Where hashes run: `threads` of latchkey's own at `niceness`, or 0 for the libuv thread pool. */
export interface ScryptEngineOptions {
  /** Default: the number of CPUs (`os.availableParallelism()`). */
  threads?: number | undefined;
  niceness: number;
}

/** The two functions of node:crypto used here, so that its types are not required. */
interface NodeCrypto {
  scrypt(
    password: Uint8Array,
    salt: Uint8Array,
    keylen: number,
    options: { N: number; r: number; p: number; maxmem: number },
    callback: (error: Error | null, key: Uint8Array) => void,
  ): void;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

/** OpenSSL and noble both refuse to run when 128·r·(N + p + 2) exceeds `maxmem`; give exactly that. */
export function maxmem({ ln, r, p }: ScryptParams): number {
  return 128 * r * (2 ** ln + p + 2);
}

/** @internal The pure-JS fallback; it yields to the event loop every few milliseconds. */
export const nobleScryptEngine: ScryptEngine = {
  async derive(password, salt, params) {
    const { scryptAsync } = await import('@noble/hashes/scrypt.js');
    const { ln, r, p, keyLength } = params;
    return scryptAsync(password, salt, { N: 2 ** ln, r, p, dkLen: keyLength, maxmem: maxmem(params) });
  },
  equal: constantTimeEqual,
};

/** node:crypto's callback `scrypt`: on the libuv thread pool, shared with `fs` and `dns`. */
function libuvScryptEngine(crypto: NodeCrypto): ScryptEngine {
  return {
    derive: (password, salt, params) =>
      new Promise((resolve, reject) => {
        const options = { N: 2 ** params.ln, r: params.r, p: params.p, maxmem: maxmem(params) };
        crypto.scrypt(password, salt, params.keyLength, options, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
    equal: (a, b) => a.length === b.length && crypto.timingSafeEqual(a, b),
  };
}

function workerScryptEngine(pool: ScryptWorkerPool, crypto: NodeCrypto): ScryptEngine {
  return {
    derive: (password, salt, params) => pool.derive(password, salt, params, maxmem(params)),
    equal: (a, b) => a.length === b.length && crypto.timingSafeEqual(a, b),
  };
}

/** A module as its namespace or its default export (runtimes differ), or null when it is absent. */
async function load<T>(loading: () => Promise<unknown>, has: (value: Partial<T>) => boolean): Promise<T | null> {
  try {
    const ns = (await loading()) as Partial<T> & { default?: Partial<T> };
    const module = has(ns) ? ns : ns.default;
    return module && has(module) ? (module as T) : null;
  } catch {
    return null;
  }
}

interface NodeOs {
  availableParallelism?(): number;
  cpus(): unknown[];
}

async function cpuCount(): Promise<number> {
  const os = await load<NodeOs>(() => import('node:os'), (m) => typeof m.cpus === 'function');
  return Math.max(1, os?.availableParallelism?.() ?? os?.cpus().length ?? 1);
}

async function pickEngine(options: ScryptEngineOptions): Promise<ScryptEngine> {
  const crypto = await load<NodeCrypto>(
    () => import('node:crypto'),
    (m) => typeof m.scrypt === 'function' && typeof m.timingSafeEqual === 'function',
  );
  if (!crypto) return nobleScryptEngine;
  const threads = options.threads ?? (await cpuCount());
  if (threads === 0) return libuvScryptEngine(crypto);
  const workerThreads = await load<WorkerThreads>(() => import('node:worker_threads'), (m) => typeof m.Worker === 'function');
  if (!workerThreads) return libuvScryptEngine(crypto);
  const poolOptions: ScryptWorkerPoolOptions = { threads, niceness: options.niceness };
  try {
    const pool = new ScryptWorkerPool(workerThreads, poolOptions);
    await pool.ready();
    return workerScryptEngine(pool, crypto);
  } catch {
    // A runtime with node:worker_threads that cannot start an evaluated worker.
    return libuvScryptEngine(crypto);
  }
}

const engines = new Map<string, Promise<ScryptEngine>>();

/**
 * @internal The engine for these options, made once per process and shared by every hasher that asks
 * for the same threads and niceness. Modules load lazily, so this file also loads where they are absent.
 */
export function loadScryptEngine(options: ScryptEngineOptions = { niceness: DEFAULT_NICENESS }): Promise<ScryptEngine> {
  const key = `${options.threads ?? 'cpus'}:${options.niceness}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = pickEngine(options);
    engines.set(key, engine);
  }
  return engine;
}

/** Hashing threads run at nice 10 by default: the event loop wins the CPU whenever it has work. */
export const DEFAULT_NICENESS = 10;
