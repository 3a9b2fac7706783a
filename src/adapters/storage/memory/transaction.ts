import type { Storage } from '../../../core/ports.js';
import type { MemoryState } from './state.js';

/** The repositories of a {@link Storage}, without `transaction`. */
export type Repositories = Omit<Storage, 'transaction'>;

/**
 * Admits one transaction at a time. While one runs, every other call of the storage (another
 * transaction, or a repository method outside it) waits for it to end, as on SQLite: that is what lets
 * a rollback restore a snapshot without undoing anyone else's writes.
 */
interface Gate {
  /** Runs `call` now when no transaction runs (synchronously: the atomic methods stay atomic), else after. */
  pass<T>(call: () => Promise<T>): Promise<T>;
  /** Runs `work` alone, once the transactions before it have ended. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

function createGate(): Gate {
  let running: Promise<void> | null = null;
  return {
    // Async functions run synchronously up to their first await: with no transaction running, `call`
    // starts at once, and after a wait it starts in the same tick as the check that found the gate open.
    async pass(call) {
      while (running) await running;
      return call();
    },
    async exclusive(work) {
      while (running) await running;
      let release!: () => void;
      running = new Promise((resolve) => (release = resolve));
      try {
        return await work();
      } finally {
        running = null;
        release();
      }
    },
  };
}

/** `repositories` with every method waiting at the gate. */
function gated(repositories: Repositories, gate: Gate): Repositories {
  const result: Record<string, Record<string, unknown>> = {};
  for (const [name, repository] of Object.entries(repositories as unknown as Record<string, Record<string, unknown>>)) {
    const methods: Record<string, unknown> = {};
    for (const [method, fn] of Object.entries(repository)) {
      methods[method] =
        typeof fn === 'function' ? (...args: unknown[]) => gate.pass(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args)) : fn;
    }
    result[name] = methods;
  }
  return result as unknown as Repositories;
}

/** Copies every map of the state (records included: some methods change records in place). */
function snapshot(state: MemoryState): Map<string, Map<unknown, unknown>> {
  return new Map(Object.entries(state).map(([name, map]) => [name, structuredClone(map as Map<unknown, unknown>)]));
}

/** Puts a snapshot back into the same map objects, which the repositories hold on to. */
function restore(state: MemoryState, saved: Map<string, Map<unknown, unknown>>): void {
  for (const [name, copy] of saved) {
    const map = (state as unknown as Record<string, Map<unknown, unknown>>)[name]!;
    map.clear();
    for (const [key, value] of copy) map.set(key, value);
  }
}

/**
 * The storage of {@link memoryStorage}: the repositories over `state`, and `transaction`, which runs
 * alone (other callers wait at the gate), on a snapshot of the state that it puts back when `fn` throws.
 * Inside, the repositories run without the gate, and `transaction` runs inline.
 */
export function transactionalStorage(state: MemoryState, repositories: Repositories): Storage {
  const gate = createGate();
  const inside: Storage = { ...repositories, transaction: (fn) => fn(inside) };
  return {
    ...gated(repositories, gate),
    transaction: (fn) =>
      gate.exclusive(async () => {
        const saved = snapshot(state);
        try {
          return await fn(inside);
        } catch (error) {
          restore(state, saved);
          throw error;
        }
      }),
  };
}
