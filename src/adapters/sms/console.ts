import type { SmsSender } from '../../core/ports.js';

/** Options of {@link consoleSmsSender}. */
export interface ConsoleSmsSenderOptions {
  /** Receives each message as one multi-line block. Default: `console.log`. */
  write?: (line: string) => void;
}

/**
 * An {@link SmsSender} for development that sends nothing: it prints each message's recipient and text,
 * so a developer can enter the one-time code without an SMS provider.
 *
 * **Never use it in production**: the text is a working one-time code, so printing it writes
 * credentials to the logs. `createAuth` picks it only when `NODE_ENV` is `development` and no `sms`
 * option is given.
 *
 * @example
 * ```ts
 * const auth = createAuth({ storage, secret, sms: consoleSmsSender() });
 * // [latchkey] sms (development: printed, not sent)
 * // To: +447400123456
 * //
 * // Your latchkey code is 123456. It expires in 10 minutes.
 * ```
 */
export function consoleSmsSender(options: ConsoleSmsSenderOptions = {}): SmsSender {
  const write = options.write ?? ((line: string) => console.log(line));
  return {
    async send(message) {
      const lines = ['[latchkey] sms (development: printed, not sent)', `To: ${message.to}`, '', message.text.trimEnd(), ''];
      write(lines.join('\n'));
    },
  };
}
