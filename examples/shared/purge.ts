import type { Auth, PurgeResult } from '../../src/index.js';

/** How often the demo servers purge deleted accounts whose retention has passed. */
export const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** The most accounts one `purgeDeletedAccounts` call may remove. */
const PURGE_BATCH = 1000;

/** The most of each other kind (passkey challenges, login history, audit log, outbox events) one call removes. */
const OTHER_BATCH = 10_000;

/** Whether a call stopped at one of its bounds, so that more may be due. */
function full(result: PurgeResult): boolean {
  const { purged, challengesRemoved, loginAttemptsRemoved, auditEntriesRemoved, eventsRemoved } = result;
  return purged >= PURGE_BATCH || [challengesRemoved, loginAttemptsRemoved, auditEntriesRemoved, eventsRemoved].some((n) => n >= OTHER_BATCH);
}

/**
 * Runs `auth.purgeDeletedAccounts()` (deleted accounts past their retention, expired passkey
 * challenges, old login history, audit log and outbox events) every `intervalMs` (default hourly), the
 * second phase of account deletion that a real app runs from its scheduler. Every instance may run it:
 * the purge's lease lets one at a time do the work, and the others' calls come back `skipped`. The
 * timer is unref'd, so it never keeps the process alive, and a failed run is logged and retried at the
 * next tick. Returns a function that stops it.
 *
 * @example
 * ```ts
 * const stopPurging = schedulePurge(auth);
 * process.on('SIGTERM', stopPurging);
 * ```
 */
export function schedulePurge(auth: Auth, options: { intervalMs?: number } = {}): () => void {
  const intervalMs = options.intervalMs ?? PURGE_INTERVAL_MS;
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return; // a slow run is not stacked on by the next tick
    running = true;
    try {
      // Each call is bounded (PURGE_BATCH accounts, OTHER_BATCH of the rest): drain a backlog before
      // the next tick, unless another instance holds the purge (it drains it then).
      for (;;) {
        const result = await auth.purgeDeletedAccounts({ limit: PURGE_BATCH });
        if (result.skipped || !full(result)) break;
      }
    } catch (error) {
      auth.logger.error('scheduled purge of deleted accounts failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
