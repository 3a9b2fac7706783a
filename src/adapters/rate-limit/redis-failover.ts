import type { RateLimiter } from '../../core/ports.js';

/** What {@link failoverRateLimiter} is told about the shared store, besides the two limiters. */
export interface FailoverOptions {
  /** Milliseconds a call to the shared limiter may take before the fallback answers instead. */
  timeoutMs: number;
  /**
   * Whether the store's client is connected now. Once it has been, a call made while it is not goes
   * straight to the fallback: the client knows the store is gone, so there is nothing to wait for. Before
   * it first connects (at start-up), calls wait for it, up to `timeoutMs`.
   */
  connected(): boolean;
  /** The first call of an outage failed: `error` is why. Called once until {@link onRecovered}. */
  onOutage(error: unknown): void;
  /** A call started after the outage was noticed succeeded on the shared limiter again. */
  onRecovered(): void;
}

/**
 * @internal A {@link RateLimiter} that counts in `shared` and, for each call that fails, takes longer than
 * `timeoutMs` or is made while the client is disconnected, in `fallback` instead. Calls are answered
 * either way; only the counts differ. During an outage, one call at a time tries the store (and may wait
 * `timeoutMs` for it); the others go straight to the fallback, so a store that hangs slows one call, not
 * every call.
 *
 * Outages are told once each: a call that started before the last change of state (down or up) says
 * nothing about the state now, so its result is ignored for that. Without that, calls in flight when
 * the store went down and came back would log the outage and the recovery over and over.
 */
export function failoverRateLimiter(shared: RateLimiter, fallback: RateLimiter, options: FailoverOptions): RateLimiter {
  let down = false;
  let everConnected = false;
  /** A call is asking the store, during an outage, whether it answers again. */
  let probing = false;
  let calls = 0;
  /** The number of the last call started before the state last changed. */
  let changedAfter = 0;

  function fallBack<T>(mine: number, error: unknown, call: (limiter: RateLimiter) => Promise<T>): Promise<T> {
    if (!down && mine > changedAfter) {
      down = true;
      changedAfter = calls;
      options.onOutage(error);
    }
    return call(fallback);
  }

  async function run<T>(method: keyof RateLimiter, call: (limiter: RateLimiter) => Promise<T>): Promise<T> {
    const mine = ++calls;
    if (options.connected()) everConnected = true;
    else if (everConnected) return fallBack(mine, new Error('the client lost its connection'), call);
    // During an outage one call at a time asks the store whether it is back; the others do not wait.
    if (down && probing) return call(fallback);
    const probe = down;
    if (probe) probing = true;
    let result: T;
    try {
      result = await withTimeout(call(shared), options.timeoutMs, method);
    } catch (error) {
      return fallBack(mine, error, call);
    } finally {
      if (probe) probing = false;
    }
    if (down && mine > changedAfter) {
      down = false;
      changedAfter = calls;
      options.onRecovered();
    }
    return result;
  }

  return {
    check: (rule, key) => run('check', (limiter) => limiter.check(rule, key)),
    hit: (rule, key) => run('hit', (limiter) => limiter.hit(rule, key)),
    refund: (rule, key) => run('refund', (limiter) => limiter.refund(rule, key)),
    reset: (rule, key) => run('reset', (limiter) => limiter.reset(rule, key)),
  };
}

/**
 * `promise`, or a rejection once `ms` have passed; the timer never holds the process open.
 *
 * When the timer fires, the rejection waits for the I/O already received to be read (`setImmediate` runs
 * after the event loop's poll phase): after a busy stretch of the event loop the timer and the answer are
 * due together, and an answer that had arrived in time must win, or every stall of the process would
 * look like a Redis outage.
 */
function withTimeout<T>(promise: Promise<T>, ms: number, method: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const afterIo = globalThis.setImmediate ?? ((callback: () => void) => setTimeout(callback, 0));
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => afterIo(() => reject(new Error(`${method} took longer than ${ms} ms`))), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
