/**
 * The counter of one key under one rule, for the rule's current window. Windows of a rule are linked
 * in the order they end.
 */
export interface Window {
  readonly key: string;
  /** Hits counted in this window (refunds taken off). */
  count: number;
  /** Epoch milliseconds at which the window ends: from then on the key counts from zero again. */
  readonly resetAt: number;
  prev: Window | null;
  next: Window | null;
}

/**
 * One rule's windows, by key and in a list, first to end first. A rule has one duration, so a window
 * opened later ends later: appending keeps the list in order (as long as the clock does not go back).
 * The list, rather than the Map's own order, is what makes the first window cheap to reach: a Map
 * iterated from its start skips every entry deleted since it was last compacted.
 */
class RuleWindows {
  readonly byKey = new Map<string, Window>();
  first: Window | null = null;
  last: Window | null = null;

  append(window: Window): void {
    window.prev = this.last;
    if (this.last) this.last.next = window;
    else this.first = window;
    this.last = window;
    this.byKey.set(window.key, window);
  }

  remove(window: Window): void {
    if (window.prev) window.prev.next = window.next;
    else this.first = window.next;
    if (window.next) window.next.prev = window.prev;
    else this.last = window.prev;
    window.prev = window.next = null;
    this.byKey.delete(window.key);
  }
}

/**
 * Fixed-window counters for any number of rules, holding at most `maxKeys` windows in all. Ended
 * windows are dropped when met and swept before every new window opens; when the store is full, the
 * window that ends first (across rules) is evicted to make room. Every operation is O(number of
 * rules), whatever the number of keys.
 */
export class FixedWindowStore {
  readonly #rules = new Map<string, RuleWindows>();
  readonly #maxKeys: number;
  #size = 0;

  constructor(maxKeys: number) {
    this.#maxKeys = maxKeys;
  }

  /** Windows held, ended ones not yet swept included. */
  get size(): number {
    return this.#size;
  }

  /** The window of `key` under `rule` that is still running at `now`; an ended one is dropped. */
  find(rule: string, key: string, now: number): Window | undefined {
    const windows = this.#rules.get(rule);
    const window = windows?.byKey.get(key);
    if (!windows || !window) return undefined;
    if (window.resetAt > now) return window;
    this.#remove(rule, windows, window);
    return undefined;
  }

  /** Opens a window of `key` under `rule` with no hits, ending at `resetAt`; makes room first. */
  open(rule: string, key: string, now: number, resetAt: number): Window {
    this.delete(rule, key);
    this.sweep(now);
    while (this.#size >= this.#maxKeys) this.#evictFirstToEnd();
    let windows = this.#rules.get(rule);
    if (!windows) {
      windows = new RuleWindows();
      this.#rules.set(rule, windows);
    }
    const window: Window = { key, count: 0, resetAt, prev: null, next: null };
    windows.append(window);
    this.#size += 1;
    return window;
  }

  delete(rule: string, key: string): void {
    const windows = this.#rules.get(rule);
    const window = windows?.byKey.get(key);
    if (windows && window) this.#remove(rule, windows, window);
  }

  /** Drops every window that has ended at `now`. */
  sweep(now: number): void {
    for (const [rule, windows] of this.#rules) {
      while (windows.first && windows.first.resetAt <= now) this.#remove(rule, windows, windows.first);
    }
  }

  #evictFirstToEnd(): void {
    let victim: { rule: string; windows: RuleWindows; window: Window } | undefined;
    for (const [rule, windows] of this.#rules) {
      const window = windows.first;
      if (window && (!victim || window.resetAt < victim.window.resetAt)) victim = { rule, windows, window };
    }
    if (!victim) throw new Error('FixedWindowStore: full but holds no window');
    this.#remove(victim.rule, victim.windows, victim.window);
  }

  #remove(rule: string, windows: RuleWindows, window: Window): void {
    windows.remove(window);
    this.#size -= 1;
    // Rules are few, but a caller may make up names: an empty rule is forgotten too.
    if (windows.byKey.size === 0) this.#rules.delete(rule);
  }
}
