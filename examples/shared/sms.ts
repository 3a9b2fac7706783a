import { outboxSmsSender, type OutboxSmsSender } from '../../src/adapters/index.js';
import type { Clock } from '../../src/core/ports.js';

/** How many text messages the demo's SMS outbox keeps; past it the oldest is dropped. */
export const SMS_OUTBOX_LIMIT = 200;

/**
 * The demo's SMS sender: an in-memory outbox of the last {@link SMS_OUTBOX_LIMIT} text messages, which
 * the demo serves at `GET /dev/sms` so that a developer can read the phone codes without an SMS
 * provider. A real app passes its provider's sender as the `sms` option instead (an object with
 * `send({ to, text })`). `clock` stamps `sentAt` (default: the system clock).
 */
export function exampleSmsSender(options: { clock?: Clock } = {}): OutboxSmsSender {
  return outboxSmsSender({ limit: SMS_OUTBOX_LIMIT, ...(options.clock ? { clock: options.clock } : {}) });
}

/** One text message as `GET /dev/sms` shows it. */
export interface SmsOutboxEntry {
  /** The E.164 number it was sent to. */
  to: string;
  text: string;
  /** ISO time the message was handed to the outbox. */
  sentAt: string;
}

/** What `GET /dev/sms` answers: the kept text messages, oldest first (so the newest is last). */
export function smsOutboxBody(sms: OutboxSmsSender): SmsOutboxEntry[] {
  return sms.messages.map(({ to, text, sentAt }) => ({ to, text, sentAt: sentAt.toISOString() }));
}
