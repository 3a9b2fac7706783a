import type { LogFields, Logger } from '../../core/ports.js';

/** A level of {@link consoleLogger}, from the most verbose; `silent` writes nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Options of {@link consoleLogger}. */
export interface ConsoleLoggerOptions {
  /** The least severe level written. Default `'warn'`. */
  level?: LogLevel;
}

const SEVERITY: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** JSON of the fields on one line; Errors become `{ name, message }`, and what JSON cannot hold is skipped. */
function stringify(fields: LogFields): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) => {
      if (value instanceof Error) return { name: value.name, message: value.message };
      return typeof value === 'bigint' ? value.toString() : value;
    });
  } catch {
    return '"[unserialisable fields]"';
  }
}

/**
 * A {@link Logger} writing one line per entry to the console: `[latchkey] <level> <message> <fields JSON>`.
 *
 * @example
 * ```ts
 * const logger = consoleLogger({ level: 'info' });
 * logger.info('session revoked', { sessionId }); // [latchkey] info session revoked {"sessionId":"…"}
 * ```
 */
export function consoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = SEVERITY[options.level ?? 'warn'];

  function write(level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void {
    if (SEVERITY[level] < threshold) return;
    // Line breaks are escaped so that one entry stays one line.
    let line = `[latchkey] ${level} ${message.replace(/\r?\n|\r/g, '\\n')}`;
    if (fields !== undefined && Object.keys(fields).length > 0) line += ` ${stringify(fields)}`;
    console[level](line);
  }

  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
