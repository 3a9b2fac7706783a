import type { SmsMessage, SmsSender } from '../../core/ports.js';
import { createOutbox, type Outbox, type OutboxOptions, type OutboxWaitOptions } from '../outbox.js';

/** A text message as the outbox kept it. */
export interface OutboxSms extends SmsMessage {
  /** When the outbox kept it, from its `clock`. */
  sentAt: Date;
}

/** Options of {@link outboxSmsSender}: how many messages it keeps, and its clock. */
export type OutboxSmsSenderOptions = OutboxOptions;
/** Options of {@link OutboxSmsSender.waitFor}. */
export type OutboxSmsWaitOptions = OutboxWaitOptions;

/** An {@link SmsSender} that keeps what it sends, for tests and for in-process delivery in examples. */
export interface OutboxSmsSender extends SmsSender, Outbox<OutboxSms> {}

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
  const outbox = createOutbox<SmsMessage, OutboxSms>('outboxSmsSender', options, (sms) => sms.to);
  return {
    get messages() {
      return outbox.messages;
    },
    async send(message) {
      outbox.keep({ to: message.to, text: message.text });
    },
    waitFor: (predicate, waitOptions) => outbox.waitFor(predicate, waitOptions),
    clear: () => outbox.clear(),
  };
}
