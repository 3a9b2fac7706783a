import { outboxMailer, type OutboxMailer } from '../../src/adapters/index.js';
import { redactUrl } from '../../src/cli/redact-url.js';
import type { Clock, Mailer } from '../../src/core/ports.js';
import type { ExampleMode } from './mode.js';

/** The From header of the demo's SMTP mails unless `MAIL_FROM` says otherwise. */
export const DEFAULT_MAIL_FROM = 'latchkey demo <no-reply@localhost>';

/** How many mails the demo's outbox keeps; past it the oldest is dropped. */
export const OUTBOX_LIMIT = 200;

/** The mailer an example hands to latchkey, the outbox behind it (if any), and how to let go of it. */
export interface ExampleMailer {
  /** null in production without `SMTP_URL`: latchkey then sends no mail (and logs that it did not). */
  mailer: Mailer | null;
  /** The in-memory outbox that `GET /dev/outbox` serves; null when mail goes out over SMTP, and in production. */
  outbox: OutboxMailer | null;
  /** What to call it in the start-up banner (an SMTP URL with its password masked). */
  description: string;
  /** Closes the SMTP connection pool (nothing to do for the outbox). */
  close(): Promise<void>;
}

/**
 * The demo's mailer, from the environment: with `SMTP_URL` (`smtp://user:pass@host:587`,
 * `smtps://…:465`) real SMTP, From `MAIL_FROM` (default {@link DEFAULT_MAIL_FROM}), and no outbox.
 * Otherwise, in development, an in-memory outbox of the last {@link OUTBOX_LIMIT} mails, which the demo
 * serves at `GET /dev/outbox` so that a developer can follow verification and reset mails without an
 * SMTP server; in production (`mode`, see `exampleMode`), no mailer and no outbox at all, since the
 * outbox holds working tokens. nodemailer is loaded only when `SMTP_URL` is set. `clock` stamps the
 * outbox's `sentAt` (default: the system clock).
 */
export async function exampleMailer(
  env: NodeJS.ProcessEnv,
  options: { clock?: Clock | undefined; mode?: ExampleMode } = {},
): Promise<ExampleMailer> {
  const url = env.SMTP_URL?.trim();
  if (!url && options.mode === 'production') {
    return {
      mailer: null,
      outbox: null,
      description: 'none: mails are not sent (set SMTP_URL; production keeps no outbox)',
      close: async () => {},
    };
  }
  if (!url) {
    const outbox = outboxMailer({ limit: OUTBOX_LIMIT, ...(options.clock ? { clock: options.clock } : {}) });
    return {
      mailer: outbox,
      outbox,
      description: 'outbox: mails are kept in memory and served at GET /dev/outbox (development only: it shows their tokens)',
      close: async () => {},
    };
  }
  const { smtpMailer } = await import('../../src/smtp.js');
  const smtp = smtpMailer({ url, from: env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM });
  return {
    mailer: smtp,
    outbox: null,
    description: `SMTP via ${redactUrl(url)}`,
    close: async () => smtp.close(),
  };
}

/** One mail as `GET /dev/outbox` shows it. */
export interface OutboxEntry {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** ISO time the mail was handed to the outbox. */
  sentAt: string;
}

/** What `GET /dev/outbox` answers: the kept mails, oldest first (so the newest is last). */
export function outboxBody(outbox: OutboxMailer): OutboxEntry[] {
  return outbox.messages.map(({ to, subject, text, html, sentAt }) => ({
    to,
    subject,
    text,
    html,
    sentAt: sentAt.toISOString(),
  }));
}
