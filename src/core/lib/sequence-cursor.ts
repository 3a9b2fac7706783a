import { AuthError } from '../errors.js';

/**
 * The cursor after an event of the outbox feed (`GET /events`): its sequence number, as opaque
 * base64url JSON like the other cursors.
 *
 * @example
 * ```ts
 * encodeSequenceCursor(42) // 'eyJzIjo0Mn0'
 * ```
 */
export function encodeSequenceCursor(sequence: number): string {
  return Buffer.from(JSON.stringify({ s: sequence }), 'utf8').toString('base64url');
}

/**
 * Reads a cursor handed out by {@link encodeSequenceCursor}: the sequence the previous page ended at.
 *
 * @throws AuthError `validation_failed` (detail `after`) for anything else
 * @example
 * ```ts
 * decodeSequenceCursor(encodeSequenceCursor(42)) // 42
 * ```
 */
export function decodeSequenceCursor(value: string, path = 'after'): number {
  try {
    if (/^[A-Za-z0-9_-]{1,512}$/.test(value)) {
      const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
      const s = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).s : undefined;
      if (typeof s === 'number' && Number.isSafeInteger(s) && s >= 0) return s;
    }
  } catch {
    // Not JSON: reported below like any other malformed cursor.
  }
  const message = 'The cursor is not one this feed handed out.';
  throw new AuthError('validation_failed', message, { details: [{ path, message }] });
}
