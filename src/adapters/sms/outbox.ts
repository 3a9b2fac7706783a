import type { Clock, SmsMessage, SmsSender } from '../../core/ports.js';

/** A text message as the outbox kept it. */
export interface OutboxSms extends SmsMessage {
  sentAt: Date;
}

export interface OutboxSmsSenderOptions {
  /** How many messages are kept; past it the oldest is dropped. Default 100. */
  limit?: number;
  /** Where `sentAt` comes from. Default: the system clock. */
  clock?: Clock;
}

export interface OutboxSmsWaitOptions {
  /** How long to wait for a match before rejecting. Default 2000 ms. */
  timeoutMs?: number;
}

/** An {@link SmsSender} that keeps what it sends, for tests and for in-process delivery in examples. */
export interface OutboxSmsSender extends SmsSender {
  /** The kept messages, oldest first (a snapshot). */
  readonly messages: readonly OutboxSms[];
  /**
   * Resolves with the first kept message that matches, or else with the next one sent that matches.
   * Rejects after `timeoutMs` (default 2000) when none did.
   */
  waitFor(predicate: (message: OutboxSms) => boolean, options?: OutboxSmsWaitOptions): Promise<OutboxSms>;
  /** Forgets every kept message (waiters keep waiting). */
  clear(): void;
}

interface Waiter {
  predicate: (message: OutboxSms) => boolean;
  resolve: (message: OutboxSms) => void;
  reject: (error: unknown) => void;
}

/**
 * An {@link SmsSender} that delivers nowhere and keeps the last `limit` messages in memory, so a test
 * can read the code a flow sent. Each instance has its own outbox.
 *
 * @example
 * ```ts
 * const sms = outboxSmsSender();
 * const auth = createAuth({ storage, secret, sms });
 * await auth.addPhone({ group: 'default', accountId, phone: '+447400123456' });
 * const message = await sms.waitFor((m) => m.to === '+447400123456');
 * const code = /\b(\d{6})\b/.exec(message.text)?.[1];
 * ```
 */
export function outboxSmsSender(options: OutboxSmsSenderOptions = {}): OutboxSmsSender {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError('outboxSmsSender: `limit` must be a positive integer');
  const now = () => options.clock?.now() ?? new Date();
  let kept: OutboxSms[] = [];
  const waiters = new Set<Waiter>();

  /** Calls a test's predicate; a predicate that throws fails its own wait, not the send. */
  function matches(waiter: Waiter, message: OutboxSms): boolean {
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
      const stored: OutboxSms = Object.freeze({ to: message.to, text: message.text, sentAt: now() });
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
      return new Promise<OutboxSms>((resolve, reject) => {
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
          const seen = kept.map((m) => m.to).join(', ') || 'none';
          const message = `outboxSmsSender: no message matched within ${timeoutMs} ms`;
          reject(new Error(`${message} (kept messages to, oldest first: ${seen})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },

    clear() {
      kept = [];
    },
  };
}
