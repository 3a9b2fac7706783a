import type { ScryptParams } from './scrypt-params.js';

/**
 * The code each hashing thread runs, evaluated, so that no extra file has to ship next to the bundle. It
 * loads its modules with `import()`, which works whether the runtime evaluates it as CommonJS or as a
 * module. It lowers its own priority first: on Linux the nice value belongs to the thread, so the event
 * loop keeps its share of the CPU while every hashing thread is busy. Elsewhere `setPriority(0)` would
 * renice the whole process, so it is skipped there. Messages sent before it listens wait in its port.
 */
const WORKER_SOURCE = `
Promise.all([import('node:worker_threads'), import('node:crypto'), import('node:os')]).then(([threads, crypto, os]) => {
  const { parentPort, workerData } = threads;
  if (process.platform === 'linux' && workerData.niceness > 0) {
    try { os.setPriority(0, workerData.niceness); } catch {}
  }
  parentPort.on('message', (job) => {
    try {
      const key = crypto.scryptSync(job.password, job.salt, job.keyLength, job.options);
      parentPort.postMessage({ key: new Uint8Array(key) });
    } catch (error) {
      parentPort.postMessage({ error: error && error.message ? error.message : String(error) });
    }
  });
});
`;

/** The parts of node:worker_threads used here, so that its types are not required. */
export interface WorkerThreads {
  Worker: new (
    source: string,
    options: { eval: true; workerData: unknown; execArgv: string[]; name?: string },
  ) => WorkerLike;
}

interface WorkerLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: { key?: Uint8Array; error?: string }) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  once(event: 'online', listener: () => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

export interface ScryptWorkerPoolOptions {
  /** Hashing threads. */
  threads: number;
  /** Nice value of each thread on Linux (0 to 19; higher yields more to the event loop). */
  niceness: number;
}

interface Job {
  password: Uint8Array;
  salt: Uint8Array;
  params: ScryptParams;
  maxmem: number;
  resolve(key: Uint8Array): void;
  reject(error: Error): void;
}

interface Slot {
  worker: WorkerLike;
  job: Job | null;
  /** Whether the thread ever started: one that cannot start here is not replaced. */
  online: boolean;
}

/**
 * A fixed set of hashing threads with a FIFO queue. Each thread derives one key at a time with
 * `scryptSync`, so a hash never waits behind `fs` or `dns` work on the libuv pool, and never runs on the
 * event loop. Idle threads do not keep the process alive; a thread that dies fails its own job only and
 * is replaced.
 */
export class ScryptWorkerPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];

  constructor(
    private readonly threads: WorkerThreads,
    private readonly options: ScryptWorkerPoolOptions,
  ) {
    for (let i = 0; i < options.threads; i++) this.#slots.push(this.#spawn());
  }

  /** Resolves once the first thread is running; rejects when threads cannot start here. */
  ready(): Promise<void> {
    const { worker } = this.#slots[0]!;
    return new Promise((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
  }

  derive(password: Uint8Array, salt: Uint8Array, params: ScryptParams, maxmem: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ password, salt, params, maxmem, resolve, reject });
      this.#drain();
    });
  }

  /** Stops every thread; jobs still queued or running are rejected. */
  async close(): Promise<void> {
    const closed = new Error('scrypt worker pool closed');
    for (const job of this.#queue.splice(0)) job.reject(closed);
    await Promise.all(this.#slots.splice(0).map(({ worker }) => worker.terminate()));
  }

  #spawn(): Slot {
    const worker = new this.threads.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { niceness: this.options.niceness },
      // Not the host's loaders and flags (a TypeScript loader, --input-type): this code needs none.
      execArgv: [],
      name: 'latchkey-scrypt',
    });
    const slot: Slot = { worker, job: null, online: false };
    worker.once('online', () => {
      slot.online = true;
      if (!slot.job) worker.unref();
    });
    worker.on('message', (message) => {
      const job = slot.job;
      slot.job = null;
      worker.unref();
      if (message.key) job?.resolve(message.key);
      else job?.reject(new Error(message.error ?? 'scrypt failed'));
      this.#drain();
    });
    worker.on('error', (error) => this.#replace(slot, error));
    worker.on('exit', (code) => this.#replace(slot, new Error(`scrypt worker exited with code ${code}`)));
    // A starting thread keeps the process alive (someone is waiting for it); it lets go once it is idle.
    return slot;
  }

  /**
   * A dead thread fails the job it held and gives its place to a new one. A thread that never started
   * is dropped instead (threads cannot run here); with none left, the queued jobs fail too.
   */
  #replace(slot: Slot, error: Error): void {
    const index = this.#slots.indexOf(slot);
    if (index === -1) return;
    slot.job?.reject(error);
    slot.job = null;
    if (slot.online) this.#slots[index] = this.#spawn();
    else this.#slots.splice(index, 1);
    if (this.#slots.length === 0) for (const job of this.#queue.splice(0)) job.reject(error);
    this.#drain();
  }

  #drain(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.job) continue;
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      const { ln, r, p, keyLength } = job.params;
      slot.worker.postMessage({
        password: job.password,
        salt: job.salt,
        keyLength,
        options: { N: 2 ** ln, r, p, maxmem: job.maxmem },
      });
    }
  }
}
