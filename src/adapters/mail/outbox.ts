import type { Clock, Mailer, MailMessage } from '../../core/ports.js';

/** A mail as the outbox kept it. */
export interface OutboxMessage extends MailMessage {
  sentAt: Date;
}

export interface OutboxMailerOptions {
  /** How many mails are kept; past it the oldest is dropped. Default 100. */
  limit?: number;
  /** Where `sentAt` comes from. Default: the system clock. */
  clock?: Clock;
}

export interface OutboxWaitOptions {
  /** How long to wait for a match before rejecting. Default 2000 ms. */
  timeoutMs?: number;
}

/** A {@link Mailer} that keeps what it sends, for tests and for in-process delivery in examples. */
export interface OutboxMailer extends Mailer {
  /** The kept mails, oldest first (a snapshot). */
  readonly messages: readonly OutboxMessage[];
  /**
   * Resolves with the first kept mail that matches, or else with the next one sent that matches.
   * Rejects after `timeoutMs` (default 2000) when none did.
   */
  waitFor(predicate: (message: OutboxMessage) => boolean, options?: OutboxWaitOptions): Promise<OutboxMessage>;
  /** Forgets every kept mail (waiters keep waiting). */
  clear(): void;
}

interface Waiter {
  predicate: (message: OutboxMessage) => boolean;
  resolve: (message: OutboxMessage) => void;
  reject: (error: unknown) => void;
}

/**
 * A {@link Mailer} that delivers nowhere and keeps the last `limit` mails in memory, so a test can read
 * the token a flow mailed. Each instance has its own outbox.
 *
 * @example
 * ```ts
 * const outbox = outboxMailer();
 * const auth = createAuth({ storage, secret, mailer: outbox });
 * await auth.requestPasswordReset({ email: 'ada@example.com' });
 * const mail = await outbox.waitFor((m) => m.kind === 'password-reset' && m.to === 'ada@example.com');
 * const token = /Token: ([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
 * ```
 */
export function outboxMailer(options: OutboxMailerOptions = {}): OutboxMailer {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError('outboxMailer: `limit` must be a positive integer');
  const now = () => options.clock?.now() ?? new Date();
  let kept: OutboxMessage[] = [];
  const waiters = new Set<Waiter>();

  /** Calls a test's predicate; a predicate that throws fails its own wait, not the send. */
  function matches(waiter: Waiter, message: OutboxMessage): boolean {
    try {
      return waiter.predicate(message);
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

    async send(message) {
      const stored: OutboxMessage = Object.freeze({ ...message, sentAt: now() });
      kept.push(stored);
      if (kept.length > limit) kept.splice(0, kept.length - limit);
      for (const waiter of [...waiters]) {
        if (matches(waiter, stored)) {
          waiters.delete(waiter);
          waiter.resolve(stored);
        }
      }
    },

    waitFor(predicate, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 2000;
      return new Promise<OutboxMessage>((resolve, reject) => {
        try {
          const sent = kept.find(predicate);
          if (sent) return resolve(sent);
        } catch (error) {
          return reject(error);
        }
        const waiter: Waiter = {
          predicate,
          resolve(message) {
            clearTimeout(timer);
            resolve(message);
          },
          reject(error) {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = kept.map((m) => m.kind).join(', ') || 'none';
          reject(new Error(`outboxMailer: no mail matched within ${timeoutMs} ms (kept mails, oldest first: ${seen})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },

    clear() {
      kept = [];
    },
  };
}
