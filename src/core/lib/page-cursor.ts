import { AuthError } from '../errors.js';

/** A keyset position in a list ordered by time, then id: where the previous page ended. */
export interface PageCursor {
  /** Epoch milliseconds of the last row handed out. */
  t: number;
  id: string;
}

/** The cursor after `row`: opaque base64url JSON, so storage adapters can share it. */
export function encodePageCursor(row: { time: Date; id: string }): string {
  const cursor: PageCursor = { t: row.time.getTime(), id: row.id };
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/**
 * Reads a cursor handed out by {@link encodePageCursor}.
 *
 * @throws AuthError `validation_failed` (detail `cursor`) for anything else
 */
export function decodePageCursor(value: string): PageCursor {
  try {
    if (/^[A-Za-z0-9_-]+$/.test(value)) {
      const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null) {
        const { t, id } = parsed as Record<string, unknown>;
        // Whole milliseconds only: a fractional or huge `t` is no time a row has, and SQL drivers
        // refuse it as a timestamp parameter (a 500 instead of a 400). No NUL in the id, for the same reason.
        if (typeof t === 'number' && Number.isSafeInteger(t) && typeof id === 'string' && !id.includes('\u0000')) {
          return { t, id };
        }
      }
    }
  } catch {
    // Not JSON: reported below like any other malformed cursor.
  }
  throw invalidPage('cursor', 'The cursor is not one this storage handed out.');
}

/**
 * Checks a page size.
 *
 * @throws AuthError `validation_failed` (detail `limit`) unless it is a positive integer
 */
export function assertPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw invalidPage('limit', 'The limit must be a positive integer.');
}

function invalidPage(path: string, message: string): AuthError {
  return new AuthError('validation_failed', message, { details: [{ path, message }] });
}
