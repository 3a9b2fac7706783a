import type { JobLeaseRepository } from '../../../core/ports.js';
import type { MemoryState } from './state.js';

/**
 * The in-memory {@link JobLeaseRepository}: one entry per job name. `acquire` checks and writes without
 * awaiting in between, so it is atomic in this process (the only one that sees this storage).
 */
export function createJobLeaseRepository(state: MemoryState): JobLeaseRepository {
  const leases = state.jobLeases;
  return {
    async acquire(name, owner, now, ttlMs): Promise<boolean> {
      const held = leases.get(name);
      if (held && held.owner !== owner && held.expiresAt > now.getTime()) return false;
      leases.set(name, { owner, expiresAt: now.getTime() + ttlMs });
      return true;
    },

    async release(name, owner): Promise<void> {
      if (leases.get(name)?.owner === owner) leases.delete(name);
    },
  };
}
