/** The storage port of the leases that keep background jobs to one instance at a time. */

/**
 * Named leases that let one caller at a time, across every instance sharing the storage, run a
 * background job (`purgeDeletedAccounts` takes `purge`). A lease is held by an `owner` (an opaque id of
 * the caller) until it is released or its time runs out, so a holder that crashed blocks the job only
 * until then.
 */
export interface JobLeaseRepository {
  /**
   * Takes the lease `name` for `owner` until `now + ttlMs` (`ttlMs` a positive integer), when it is
   * free, expired (its expiry is at or before `now`) or already `owner`'s, which extends it; returns
   * whether `owner` holds it now. A lease another owner holds past `now` is left as it is, and the call
   * returns false. **Atomic**: of concurrent calls for one name by different owners, at most one
   * returns true.
   */
  acquire(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Frees the lease `name` when `owner` holds it (expired or not); otherwise changes nothing. */
  release(name: string, owner: string): Promise<void>;
}
