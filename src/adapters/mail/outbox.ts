import type { Mailer, MailMessage } from '../../core/ports.js';
import { createOutbox, type Outbox, type OutboxOptions, type OutboxWaitOptions } from '../outbox.js';

/** A mail as the outbox kept it. */
export interface OutboxMessage extends MailMessage {
  /** When the outbox kept it, from its `clock`. */
  sentAt: Date;
}

/** Options of {@link outboxMailer}: how many mails it keeps, and its clock. */
export type OutboxMailerOptions = OutboxOptions;
export type { OutboxWaitOptions };

/** A {@link Mailer} that keeps what it sends, for tests and for in-process delivery in examples. */
export interface OutboxMailer extends Mailer, Outbox<OutboxMessage> {}

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
  const outbox = createOutbox<MailMessage, OutboxMessage>('outboxMailer', options, (mail) => mail.kind);
  return {
    get messages() {
      return outbox.messages;
    },
    async send(message) {
      outbox.keep(message);
    },
    waitFor: (predicate, waitOptions) => outbox.waitFor(predicate, waitOptions),
    clear: () => outbox.clear(),
  };
}
