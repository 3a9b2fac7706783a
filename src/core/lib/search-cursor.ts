import { AuthError } from '../errors.js';

/** The keyset position of an account search: the order, the last row's sort key, and its id. */
export interface SearchCursor {
  /** The order the cursor belongs to (`createdAt` or `email`). */
  o: string;
  /** The last row's sort key: epoch milliseconds for `createdAt`, the email for `email`. */
  k: number | string;
  id: string;
}

/** The cursor after a row: opaque base64url JSON, shared by every storage adapter. */
export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/**
 * Reads a cursor of {@link encodeSearchCursor} for the order `orderBy`, whose key is a number
 * (`createdAt`) or a string (`email`) as `keyKind` says.
 *
 * @throws AuthError `validation_failed` (detail `cursor`) for anything else, a cursor of another order included
 */
export function decodeSearchCursor(value: string, orderBy: string, keyKind: 'number' | 'string'): SearchCursor {
  try {
    if (/^[A-Za-z0-9_-]+$/.test(value)) {
      const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null) {
        const { o, k, id } = parsed as Record<string, unknown>;
        const keyOk =
          keyKind === 'number'
            ? typeof k === 'number' && Number.isSafeInteger(k)
            : typeof k === 'string' && k.length <= 1024 && !k.includes('\u0000');
        // No NUL and no fractional time: SQL drivers would refuse them (a 500 instead of a 400).
        if (o === orderBy && keyOk && typeof id === 'string' && id.length <= 255 && !id.includes('\u0000')) {
          return { o, k: k as number | string, id };
        }
      }
    }
  } catch {
    // Not JSON: reported below like any other malformed cursor.
  }
  const message = 'The cursor is not one this search handed out.';
  throw new AuthError('validation_failed', message, { details: [{ path: 'cursor', message }] });
}

/** How names and the search text are folded for prefix search: NFKC, then lower case. */
export function foldForSearch(value: string): string {
  return value.normalize('NFKC').toLowerCase();
}

/** The domain of a normalised email: what follows its last `@`. */
export function emailDomainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

/**
 * The smallest string above every string that starts with `prefix` (by code point), so that a prefix
 * search is the range `[prefix, upper)`, which every database answers from a B-tree index whatever
 * its `LIKE` support. Null when there is none (the prefix is all U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = Array.from(prefix, (char) => char.codePointAt(0)!);
  while (points.length > 0) {
    let last = points.pop()! + 1;
    if (last >= 0xd800 && last <= 0xdfff) last = 0xe000; // no lone surrogates
    if (last <= 0x10ffff) return String.fromCodePoint(...points, last);
  }
  return null;
}
