import type { Logger } from '../../core/ports.js';

const ignore = (): void => {};

/**
 * A {@link Logger} that drops everything: for tests, or to switch latchkey's logging off.
 *
 * @example
 * ```ts
 * createAuth({ storage, secret, logger: silentLogger });
 * ```
 */
export const silentLogger: Logger = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore });
