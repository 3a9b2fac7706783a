import type { Logger, SmsSender } from '../../core/ports.js';

/**
 * The {@link SmsSender} `createAuth` uses outside development when the app gave none: every send logs a
 * warning and fails, so flows that need a text message answer `sms_delivery_failed` instead of
 * pretending one went out. The log names neither the number nor the text (it holds a code).
 *
 * @example
 * ```ts
 * const sms = unconfiguredSmsSender(consoleLogger());
 * await sms.send(message); // warns "no SMS sender configured: …", then rejects
 * ```
 */
export function unconfiguredSmsSender(logger: Logger): SmsSender {
  return {
    async send() {
      logger.warn('no SMS sender configured: text message not sent (set the `sms` option)');
      throw new Error('no SMS sender configured');
    },
  };
}
