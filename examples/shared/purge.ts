import type { Auth } from '../../src/index.js';

/** How often the demo servers purge deleted accounts whose retention has passed. */
export const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** The most accounts one `purgeDeletedAccounts` call may remove. */
const PURGE_BATCH = 1000;

/** The most expired passkey challenges one `purgeDeletedAccounts` call removes. */
const CHALLENGE_BATCH = 10_000;

/**
 * Runs `auth.purgeDeletedAccounts()` (deleted accounts past their retention, expired passkey challenges) every `intervalMs` (default hourly), the second phase of account
 * deletion that a real app runs from its scheduler. The timer is unref'd, so it never keeps the process
 * alive, and a failed run is logged and retried at the next tick. Returns a function that stops it.
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
      // One call removes at most PURGE_BATCH accounts (and 10,000 expired passkey challenges): drain a
      // backlog before the next tick.
      for (;;) {
        const { purged, challengesRemoved } = await auth.purgeDeletedAccounts({ limit: PURGE_BATCH });
        if (purged < PURGE_BATCH && challengesRemoved < CHALLENGE_BATCH) break;
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
