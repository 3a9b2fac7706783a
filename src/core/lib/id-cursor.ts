import { AuthError } from '../errors.js';

/**
 * The cursor after a row of a list ordered by id alone (the groups): opaque base64url JSON, so storage
 * adapters can share it.
 *
 * @example
 * ```ts
 * const next = encodeIdCursor('acme') // 'eyJpZCI6ImFjbWUifQ'
 * ```
 */
export function encodeIdCursor(id: string): string {
  return Buffer.from(JSON.stringify({ id }), 'utf8').toString('base64url');
}

/**
 * Reads a cursor handed out by {@link encodeIdCursor}: the last id of the previous page.
 *
 * @throws AuthError `validation_failed` (detail `cursor`) for anything else
 * @example
 * ```ts
 * decodeIdCursor(encodeIdCursor('acme')) // 'acme'
 * ```
 */
export function decodeIdCursor(value: string): string {
  try {
    if (/^[A-Za-z0-9_-]+$/.test(value)) {
      const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
      const id = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).id : undefined;
      // No NUL: SQL drivers refuse it as a parameter (a 500 instead of a 400).
      if (typeof id === 'string' && id.length <= 255 && !id.includes('\u0000')) return id;
    }
  } catch {
    // Not JSON: reported below like any other malformed cursor.
  }
  const message = 'The cursor is not one this storage handed out.';
  throw new AuthError('validation_failed', message, { details: [{ path: 'cursor', message }] });
}
