import { createTransport } from 'nodemailer';
import type { Mailer } from '../../core/ports.js';

/** Options of {@link smtpMailer}: where to connect (`url`, or `host` and the rest) and `from`. */
export interface SmtpMailerOptions {
  /**
   * `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://user:pass@host:465`
   * (TLS from the start). Default: `process.env.SMTP_URL`. Where both are given, the URL's parts win
   * over `host`, `port`, `secure` and `auth`.
   */
  url?: string;
  /** The server's host name, when there is no `url`. */
  host?: string;
  /** Default 465 when `secure`, else 587. */
  port?: number;
  /** TLS from the first byte (port 465). Default: true exactly when `port` is 465. */
  secure?: boolean;
  /** The login, when there is no `url` (or it has none). */
  auth?: {
    /** The SMTP user name. */
    user: string;
    /** The SMTP password. */
    pass: string;
  };
  /** The From header, e.g. `"Acme" <no-reply@acme.example>`. */
  from: string;
  /** TLS settings passed to nodemailer. */
  tls?: {
    /** `false` accepts a certificate that does not verify (a development server's own). Default true. */
    rejectUnauthorized?: boolean;
  };
}

/** An SMTP {@link Mailer} over a pool of connections, which {@link SmtpMailer.close} closes. */
export interface SmtpMailer extends Mailer {
  /** Closes the pooled connections (a mail being sent finishes first). Call it on shutdown. */
  close(): void;
}

/**
 * A {@link Mailer} that delivers over SMTP with nodemailer (an optional peer dependency: install it to
 * use `latchkey/smtp`). `send` resolves once the server accepted the message and rejects otherwise; the
 * rejection's message names the failure (`EENVELOPE`, `550`…) but not the address, and the original
 * nodemailer error is its `cause`.
 *
 * @throws TypeError when neither `url`, `host` nor `SMTP_URL` says where to connect
 * @example
 * ```ts
 * import { smtpMailer } from 'latchkey/smtp';
 *
 * const mailer = smtpMailer({ url: process.env.SMTP_URL, from: '"Acme" <no-reply@acme.example>' });
 * const auth = createAuth({ storage, secret, mailer });
 * process.on('SIGTERM', () => mailer.close());
 * ```
 */
export function smtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const url = options.url ?? globalThis.process?.env?.SMTP_URL;
  if (!url && !options.host) {
    throw new TypeError('smtpMailer: set `url`, `host` or the SMTP_URL environment variable');
  }
  if (url && !/^smtps?:\/\//i.test(url)) {
    throw new TypeError('smtpMailer: `url` must start with smtp:// or smtps://');
  }
  const secure = options.secure ?? options.port === 465;
  const transport = createTransport({
    pool: true,
    ...(url ? { url } : {}),
    ...(options.host ? { host: options.host, port: options.port ?? (secure ? 465 : 587), secure } : {}),
    ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
    ...(options.tls ? { tls: { ...options.tls } } : {}),
  });

  return {
    async send(message) {
      try {
        await transport.sendMail({
          from: message.from ?? options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
        });
      } catch (error) {
        throw new Error(`SMTP delivery failed (${describe(error)})`, { cause: error });
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * The code and server reply code of a nodemailer error. Its message is left out on purpose: servers
 * echo the rejected address in it, and ours reach logs.
 */
function describe(error: unknown): string {
  const { code, responseCode } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    responseCode?: unknown;
  };
  const parts = [code, responseCode].filter((p) => typeof p === 'string' || typeof p === 'number');
  return parts.length > 0 ? parts.join(' ') : 'unknown error';
}
