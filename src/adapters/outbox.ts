import type { Clock } from '../core/ports.js';

/** Options of `outboxMailer` and `outboxSmsSender`. */
export interface OutboxOptions {
  /** How many items are kept; past it the oldest is dropped. Default 100. */
  limit?: number;
  /** Where `sentAt` comes from. Default: the system clock. */
  clock?: Clock;
}

/** Options of an outbox's `waitFor`. */
export interface OutboxWaitOptions {
  /** How long to wait for a match before rejecting. Default 2000 ms. */
  timeoutMs?: number;
}

/** What the mail and SMS outboxes share: keep what was sent, let a test wait for a match. */
export interface Outbox<Item> {
  /** The kept items, oldest first (a snapshot). */
  readonly messages: readonly Item[];
  /**
   * Resolves with the first kept item that matches, or else with the next one sent that matches.
   * Rejects after `timeoutMs` (default 2000) when none did.
   */
  waitFor(predicate: (item: Item) => boolean, options?: OutboxWaitOptions): Promise<Item>;
  /** Forgets every kept item (waiters keep waiting). */
  clear(): void;
}

interface Waiter<Item> {
  predicate: (item: Item) => boolean;
  resolve: (item: Item) => void;
  reject: (error: unknown) => void;
}

/**
 * The in-memory outbox behind `outboxMailer` and `outboxSmsSender`: `keep` stores an item (stamped
 * with `sentAt`) and wakes the waiters it matches. `name` and `describe` word the timeout error.
 */
export function createOutbox<Message, Item extends Message & { sentAt: Date }>(
  name: string,
  options: OutboxOptions,
  describe: (item: Item) => string,
): Outbox<Item> & { keep(message: Message): Item } {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`${name}: \`limit\` must be a positive integer`);
  const now = () => options.clock?.now() ?? new Date();
  let kept: Item[] = [];
  const waiters = new Set<Waiter<Item>>();

  /** Calls a test's predicate; a predicate that throws fails its own wait, not the send. */
  function matches(waiter: Waiter<Item>, item: Item): boolean {
    try {
      return waiter.predicate(item);
    } catch (error) {
      waiters.delete(waiter);
      waiter.reject(error);
      return false;
    }
  }

  return {
    get messages() {
      return [...kept];
    },

    keep(message) {
      const stored = Object.freeze({ ...message, sentAt: now() }) as Item;
      kept.push(stored);
      if (kept.length > limit) kept.splice(0, kept.length - limit);
      for (const waiter of [...waiters]) {
        if (matches(waiter, stored)) {
          waiters.delete(waiter);
          waiter.resolve(stored);
        }
      }
      return stored;
    },

    waitFor(predicate, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 2000;
      return new Promise<Item>((resolve, reject) => {
        try {
          const sent = kept.find(predicate);
          if (sent) return resolve(sent);
        } catch (error) {
          return reject(error);
        }
        const waiter: Waiter<Item> = {
          predicate,
          resolve(item) {
            clearTimeout(timer);
            resolve(item);
          },
          reject(error) {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = kept.map(describe).join(', ') || 'none';
          reject(new Error(`${name}: nothing matched within ${timeoutMs} ms (kept, oldest first: ${seen})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },

    clear() {
      kept = [];
    },
  };
}
