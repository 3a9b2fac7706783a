import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import type { Storage } from '../../src/index.js';
import { proxyStorage } from './storage-proxy.js';

/** A memory storage that a test watches: what it was asked, and a way to lose an account row. */
export interface WatchedStorage {
  storage: Storage;
  /** Every repository call so far, as `repository.method`; a test empties it to start counting. */
  calls: string[];
  /**
   * While on, `sessions.findWithAccount` answers the account as gone: a session that outlived its
   * account row, as it can on a storage without foreign keys.
   */
  orphanSessions(on: boolean): void;
}

/** A fresh {@link WatchedStorage} over `memoryStorage()`. */
export function watchedStorage(): WatchedStorage {
  const calls: string[] = [];
  let orphan = false;
  const storage = proxyStorage(memoryStorage(), (repository, method, _args, call) => {
    calls.push(`${repository}.${method}`);
    const result = call();
    if (!orphan || repository !== 'sessions' || method !== 'findWithAccount') return result;
    return (result as Promise<{ account: unknown } | null>).then((found) => found && { ...found, account: null });
  });
  return { storage, calls, orphanSessions: (on) => void (orphan = on) };
}
