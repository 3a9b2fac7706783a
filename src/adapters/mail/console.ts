import type { Mailer } from '../../core/ports.js';

/** Options of {@link consoleMailer}. */
export interface ConsoleMailerOptions {
  /** Receives each mail as one multi-line block. Default: `console.log`. */
  write?: (line: string) => void;
}

/**
 * A {@link Mailer} for development that sends nothing: it prints each mail's kind, recipient, subject
 * and text part, so a developer can follow verification and reset links without an SMTP server.
 *
 * **Never use it in production**: the text part contains one-time tokens (verification, password
 * reset), so printing it writes working credentials to the logs. `createAuth` picks it only when
 * `NODE_ENV` is `development` and no `mailer` option is given.
 *
 * @example
 * ```ts
 * const auth = createAuth({ storage, secret, mailer: consoleMailer() });
 * // [latchkey] mail email-verification (development: printed, not sent)
 * // To: ada@example.com
 * // Subject: Confirm your email address for latchkey
 * // …
 * ```
 */
export function consoleMailer(options: ConsoleMailerOptions = {}): Mailer {
  const write = options.write ?? ((line: string) => console.log(line));
  return {
    async send(message) {
      write(
        [
          `[latchkey] mail ${message.kind} (development: printed, not sent)`,
          `To: ${message.to}`,
          `Subject: ${message.subject}`,
          '',
          message.text.trimEnd(),
          '',
        ].join('\n'),
      );
    },
  };
}
