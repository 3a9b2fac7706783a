import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import * as workerThreads from 'node:worker_threads';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createScryptHasher, loadScryptEngine, scryptHasher } from '../../../src/adapters/password/scrypt.js';
import { ScryptWorkerPool, type WorkerThreads } from '../../../src/adapters/password/scrypt-workers.js';

const small = { ln: 10, r: 8, p: 1 };
const params = { ...small, keyLength: 32 };
const root = join(import.meta.dirname, '../../..');

/** The nice values of this process's threads (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('scrypt on hashing threads', () => {
  it('derives the same hashes as the libuv thread pool', async () => {
    const threaded = createScryptHasher({ ...small, threads: 2 }, loadScryptEngine);
    const libuv = createScryptHasher({ ...small, threads: 0 }, loadScryptEngine);
    const fromThreads = await threaded.hash('thread-safe');
    expect(await libuv.verify(fromThreads, 'thread-safe')).toBe(true);
    expect(await libuv.verify(fromThreads, 'thread-unsafe')).toBe(false);
    expect(await threaded.verify(await libuv.hash('thread-safe'), 'thread-safe')).toBe(true);
  });

  it('keeps every concurrent hash apart: each verifies only with its own password', async () => {
    const hasher = scryptHasher({ ...small, threads: 3 });
    const passwords = Array.from({ length: 24 }, (_, i) => `password-${i}`);
    const hashes = await Promise.all(passwords.map((p) => hasher.hash(p)));
    const checks = await Promise.all(hashes.map((h, i) => hasher.verify(h, passwords[(i + 1) % 24]!)));
    expect(checks.every((ok) => !ok)).toBe(true);
    expect(await Promise.all(hashes.map((h, i) => hasher.verify(h, passwords[i]!)))).toEqual(passwords.map(() => true));
  });

  it.runIf(process.platform === 'linux')('runs its threads below the event loop\'s priority', async () => {
    const before = threadNiceValues().filter((n) => n === 13).length;
    const hasher = scryptHasher({ ...small, threads: 2, niceness: 13 });
    await Promise.all([hasher.hash('a'), hasher.hash('b')]); // one on each thread
    expect(threadNiceValues().filter((n) => n === 13).length - before).toBe(2);
    expect(threadNiceValues()[0]).toBe(0); // the main thread keeps its own
  });

  it('refuses thread and niceness options out of range', () => {
    expect(() => scryptHasher({ threads: -1 })).toThrow(RangeError);
    expect(() => scryptHasher({ threads: 1.5 })).toThrow(RangeError);
    expect(() => scryptHasher({ niceness: 20 })).toThrow(RangeError);
    expect(() => scryptHasher({ niceness: -5 })).toThrow(RangeError);
  });

  it('lets a process exit once its hashes are done, and not before', async () => {
    // No timer or socket keeps this script alive: only the hash in flight may, and idle threads must not.
    const script = `
      import { scryptHasher } from './src/adapters/password/scrypt.ts';
      scryptHasher({ ln: 14, r: 8, p: 5, threads: 2 }).hash('pw').then((h) => console.log(h.slice(0, 20)));
    `;
    const started = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('$scrypt$ln=14,r=8,p=');
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});

describe('ScryptWorkerPool', () => {
  it('rejects a job the thread refuses, and goes on serving', async () => {
    const pool = new ScryptWorkerPool(workerThreads as unknown as WorkerThreads, { threads: 1, niceness: 0 });
    try {
      await pool.ready();
      const password = new TextEncoder().encode('pw');
      const salt = new Uint8Array(16);
      await expect(pool.derive(password, salt, params, 1024)).rejects.toThrow(/memory|maxmem|limit/i);
      expect(await pool.derive(password, salt, params, 2 * 1024 * 1024)).toHaveLength(32);
    } finally {
      await pool.close();
    }
  });

  it('fails only the job of a thread that dies, and replaces the thread', async () => {
    const started: FakeWorker[] = [];
    class FakeWorker extends EventEmitter {
      constructor() {
        super();
        started.push(this);
        queueMicrotask(() => this.emit('online'));
      }
      postMessage(): void {}
      ref(): void {}
      unref(): void {}
      async terminate(): Promise<number> {
        return 0;
      }
    }
    const pool = new ScryptWorkerPool({ Worker: FakeWorker } as unknown as WorkerThreads, { threads: 1, niceness: 0 });
    await pool.ready();
    const bytes = new Uint8Array(16);
    const first = pool.derive(bytes, bytes, params, 2 ** 21);
    const second = pool.derive(bytes, bytes, params, 2 ** 21);
    started[0]!.emit('exit', 1);
    await expect(first).rejects.toThrow('scrypt worker exited with code 1');
    expect(started).toHaveLength(2); // the replacement took the queued job
    started[1]!.emit('message', { key: new Uint8Array([7]) });
    expect(await second).toEqual(new Uint8Array([7]));
    await pool.close();
  });

  it('fails every job when no thread can start', async () => {
    class BrokenWorker extends EventEmitter {
      constructor() {
        super();
        queueMicrotask(() => {
          this.emit('error', new Error('workers unsupported'));
          this.emit('exit', 1);
        });
      }
      postMessage(): void {}
      ref(): void {}
      unref(): void {}
      async terminate(): Promise<number> {
        return 0;
      }
    }
    const pool = new ScryptWorkerPool({ Worker: BrokenWorker } as unknown as WorkerThreads, { threads: 2, niceness: 0 });
    const bytes = new Uint8Array(16);
    const job = pool.derive(bytes, bytes, params, 2 ** 21);
    await expect(pool.ready()).rejects.toThrow('workers unsupported');
    await expect(job).rejects.toThrow('workers unsupported');
  });
});
