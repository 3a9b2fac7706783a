import type { Argon2Hash, BcryptHash, Pbkdf2Hash } from './legacy-hashes.js';

/**
 * @internal Where imported (legacy) hashes are derived, off the event loop: bcrypt and argon2 on one
 * thread of latchkey's own (`node:worker_threads`, started on first use, idle it keeps nothing alive),
 * PBKDF2 with node:crypto on the libuv pool. Where the thread cannot start or cannot load its modules
 * (no worker threads, or `bcryptjs` not resolvable from the working directory, as under pnpm's strict
 * layout) bcrypt and argon2 run in-process with their async variants, which yield to the event loop
 * (argon2 every 5 ms, bcryptjs every 100 ms).
 */
export interface LegacyEngine {
  /** The bcrypt string `password` gives under the stored hash's salt and cost, as UTF-8 bytes. */
  bcrypt(password: string, hash: BcryptHash): Promise<Uint8Array>;
  argon2(password: string, hash: Argon2Hash): Promise<Uint8Array>;
  pbkdf2(password: string, hash: Pbkdf2Hash): Promise<Uint8Array>;
}

/** The worker, evaluated from a string so that nothing ships beside the bundle (like the scrypt threads). */
const WORKER_SOURCE = `
Promise.all([import('node:worker_threads'), import('bcryptjs'), import('@noble/hashes/argon2.js')]).then(([threads, bcryptjs, argon2]) => {
  const { parentPort } = threads;
  const bcrypt = typeof bcryptjs.hashSync === 'function' ? bcryptjs : bcryptjs.default;
  parentPort.on('message', (job) => {
    try {
      const out = job.kind === 'bcrypt'
        ? new TextEncoder().encode(bcrypt.hashSync(job.password, job.salt))
        : argon2[job.variant](job.password, job.salt, job.options);
      parentPort.postMessage({ id: job.id, out });
    } catch (error) {
      parentPort.postMessage({ id: job.id, error: error && error.message ? error.message : String(error) });
    }
  });
  parentPort.postMessage({ ready: true });
});
`;

interface WorkerLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: { id?: number; out?: Uint8Array; error?: string; ready?: true }) => void): void;
  on(event: 'error' | 'exit', listener: (value: unknown) => void): void;
  ref(): void;
  unref(): void;
}

type Job = { kind: 'bcrypt'; password: string; salt: string } | { kind: 'argon2'; password: string; variant: string; salt: Uint8Array; options: object };

const utf8 = new TextEncoder();
const argonOptions = (h: Argon2Hash) => ({ t: h.t, m: h.m, p: h.p, version: h.version, dkLen: h.hash.length });

/** One thread running jobs in order; `null` once it proved unable to start here. */
class LegacyThread {
  #worker: Promise<WorkerLike | null> | null = null;
  readonly #pending = new Map<number, { resolve(out: Uint8Array): void; reject(error: Error): void }>();
  #next = 0;

  async run(job: Job): Promise<Uint8Array | null> {
    const worker = await (this.#worker ??= this.#start());
    if (!worker) return null;
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...job, id });
    });
  }

  async #start(): Promise<WorkerLike | null> {
    try {
      const { Worker } = await import('node:worker_threads');
      const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], name: 'latchkey-legacy-hash' }) as unknown as WorkerLike;
      const ready = await new Promise<boolean>((resolve) => {
        worker.on('message', (message) => {
          if (message.ready) return resolve(true);
          const job = this.#pending.get(message.id!);
          this.#pending.delete(message.id!);
          if (this.#pending.size === 0) worker.unref();
          if (message.out) job?.resolve(message.out);
          else job?.reject(new Error(message.error ?? 'legacy hash failed'));
        });
        worker.on('error', () => resolve(false));
        worker.on('exit', () => {
          resolve(false);
          for (const job of this.#pending.values()) job.reject(new Error('the legacy hash thread stopped'));
          this.#pending.clear();
          this.#worker = null; // the next job starts a new thread
        });
      });
      worker.unref();
      return ready ? worker : null;
    } catch {
      return null;
    }
  }
}

let thread: LegacyThread | null = null;
let fallbackOnly = false;

/** node:crypto's callback pbkdf2 (libuv pool), else @noble/hashes' async one. */
async function pbkdf2(password: string, h: Pbkdf2Hash): Promise<Uint8Array> {
  const crypto = await import('node:crypto').catch(() => null);
  if (crypto?.pbkdf2) {
    return new Promise((resolve, reject) =>
      crypto.pbkdf2(password, h.salt, h.iterations, h.hash.length, h.digest, (error, key) => (error ? reject(error) : resolve(new Uint8Array(key)))),
    );
  }
  const [{ pbkdf2Async }, { sha256, sha512 }] = await Promise.all([import('@noble/hashes/pbkdf2.js'), import('@noble/hashes/sha2.js')]);
  return pbkdf2Async(h.digest === 'sha256' ? sha256 : sha512, password, h.salt, { c: h.iterations, dkLen: h.hash.length });
}

async function inThread(job: Job): Promise<Uint8Array | null> {
  if (fallbackOnly) return null;
  thread ??= new LegacyThread();
  const out = await thread.run(job);
  if (out === null) fallbackOnly = true;
  return out;
}

/**
 * @internal The process's engine for legacy hashes.
 */
export const legacyEngine: LegacyEngine = {
  async bcrypt(password, hash) {
    const salt = hash.text.slice(0, 29);
    const out = await inThread({ kind: 'bcrypt', password, salt });
    if (out) return out;
    const { default: bcryptjs } = await import('bcryptjs');
    return utf8.encode(await bcryptjs.hash(password, salt));
  },
  async argon2(password, hash) {
    const out = await inThread({ kind: 'argon2', password, variant: hash.variant, salt: hash.salt, options: argonOptions(hash) });
    if (out) return out;
    const argon2 = await import('@noble/hashes/argon2.js');
    const derive = { argon2id: argon2.argon2idAsync, argon2i: argon2.argon2iAsync, argon2d: argon2.argon2dAsync }[hash.variant];
    return derive(password, hash.salt, { ...argonOptions(hash), asyncTick: 5 });
  },
  pbkdf2,
};

/** @internal Tests: forget the thread (and a fallback decision), or force the in-process fallback. */
export function resetLegacyEngine(options: { fallbackOnly?: boolean } = {}): void {
  thread = null;
  fallbackOnly = options.fallbackOnly ?? false;
}
