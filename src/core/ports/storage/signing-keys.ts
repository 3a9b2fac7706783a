/** The storage port of the keys that sign each group's access tokens. */

import type { SigningKeyRecord } from '../records.js';

/**
 * The keys that sign each group's access tokens. Keys are only ever added: the highest generation
 * signs, and an older one stays published, and verifies, until every token it signed has expired.
 */
export interface SigningKeyRepository {
  /** A group's keys, highest generation first. */
  listByGroup(group: string): Promise<SigningKeyRecord[]>;
  /**
   * Inserts a key. Key ids are unique across groups. **Atomic**: `(group, generation)` is unique, so when several instances create a
   * group's first key, or rotate at once, exactly one succeeds and the others throw
   * `AuthError('conflict')` (they then read the winner's key).
   */
  create(key: SigningKeyRecord): Promise<void>;
}
