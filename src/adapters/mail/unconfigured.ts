import type { Logger, Mailer } from '../../core/ports.js';

/**
 * The {@link Mailer} `createAuth` uses outside development when the app gave none: every send logs a
 * warning and fails, so flows that need a mail answer `mail_delivery_failed` instead of pretending a
 * mail went out. The log names the kind of mail only, never the address or the token.
 *
 * @example
 * ```ts
 * const mailer = unconfiguredMailer(consoleLogger());
 * await mailer.send(message); // warns "no mailer configured: mail not sent" { kind }, then rejects
 * ```
 */
export function unconfiguredMailer(logger: Logger): Mailer {
  return {
    async send(message) {
      logger.warn('no mailer configured: mail not sent (set the `mailer` option)', { kind: message.kind });
      throw new Error('no mailer configured');
    },
  };
}
