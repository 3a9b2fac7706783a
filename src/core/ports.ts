/**
 * The ports of latchkey: interfaces only. Adapters in `src/adapters` implement them; the core depends on
 * nothing else. Every method that must be atomic says so, and `runStorageConformance` proves it with
 * concurrent callers.
 *
 * Times are `Date` values with millisecond precision. Storage must hand back exactly what it was given.
 * Ids of accounts, sessions and login attempts are unique per group (latchkey makes them globally unique
 * ULIDs); creating a record whose id exists throws `AuthError('conflict')`. Parents exist before their
 * children (group → account → session → refresh token): latchkey never stores an orphan, so an adapter
 * may enforce this with foreign keys. A refresh token belongs to its session, and through it to the
 * session's account. Recovery codes and one-time codes belong to an account and go with it.
 */

export type * from './ports/records.js';
export type * from './ports/storage.js';
export type * from './ports/services.js';
export type * from './ports/webhooks.js';
