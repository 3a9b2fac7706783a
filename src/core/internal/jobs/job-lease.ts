import type { AuthContext } from '../../context.js';
import { randomToken } from '../../lib/random.js';

/** The lease a running job holds (see {@link withJobLease}). */
export interface HeldJobLease {
  /** Extends the lease to its full time from now; false when it was lost (it ran out and another caller took it). */
  renew(): Promise<boolean>;
}

/**
 * Runs `work` while holding the lease `job` of `storage.jobLeases`, so that of every instance sharing
 * the storage one at a time runs it; returns `{ ran: false }` at once, logged at debug, when another
 * caller holds it. The owner is the instance's id with a suffix of this call's own, so two overlapping
 * calls in one process exclude each other too. The lease is released when `work` ends, however it
 * ends; a release that fails is logged, and the lease then frees itself after `ttlMs`.
 */
export async function withJobLease<T>(
  ctx: AuthContext,
  job: string,
  ttlMs: number,
  work: (lease: HeldJobLease) => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  const owner = `${ctx.instanceId}.${randomToken(6)}`;
  const acquire = () => ctx.storage.jobLeases.acquire(job, owner, ctx.clock.now(), ttlMs);
  if (!(await acquire())) {
    ctx.logger.debug('background job skipped: another call holds its lease', { job });
    return { ran: false };
  }
  try {
    return { ran: true, result: await work({ renew: acquire }) };
  } finally {
    await ctx.storage.jobLeases.release(job, owner).catch((error: unknown) => {
      ctx.logger.warn('could not release a background job’s lease; it frees itself when it runs out', {
        job,
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }
}
