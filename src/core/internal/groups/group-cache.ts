import type { GroupRecord } from '../../ports.js';

/**
 * How long an instance trusts a group record it read (5 seconds of real time). A change made through
 * this instance (`auth.updateGroup`, `auth.deleteGroup`, `PATCH /group`) clears its entry at once;
 * other instances see it once their entry expires, so a setting takes at most this long to apply
 * everywhere.
 */
export const GROUP_CACHE_MS = 5_000;

/** Entries kept at most; the oldest goes first. Bounds memory when an instance serves many groups. */
const MAX_ENTRIES = 10_000;

/**
 * The groups this instance read lately, so that the authenticated hot path (token checks, session
 * liveness, the group prefix of every multi-group request) reads a group at most once per
 * {@link GROUP_CACHE_MS} per group. Unknown groups are never cached.
 */
export class GroupCache {
  readonly #entries = new Map<string, { group: GroupRecord; loadedAt: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The cached record, while fresh. */
  get(id: string): GroupRecord | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (this.now() - entry.loadedAt < GROUP_CACHE_MS) return entry.group;
    this.#entries.delete(id);
    return undefined;
  }

  set(group: GroupRecord): void {
    this.#entries.delete(group.id);
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(group.id, { group, loadedAt: this.now() });
  }

  /** Forgets a group after this instance changed or removed it. */
  forget(id: string): void {
    this.#entries.delete(id);
  }
}
