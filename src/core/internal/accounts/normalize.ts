import { z } from 'zod';
import { AuthError } from '../../errors.js';

const emailSchema = z.email();

const NUL = '\u0000';

/**
 * The one form an email is stored and looked up in: trimmed, NFKC, lower-cased.
 *
 * @throws AuthError `validation_failed` when the result is not an email address (a U+0000 anywhere
 * included: no address has one, and PostgreSQL refuses it in text)
 */
export function normalizeEmail(email: string): string {
  const normalized = email.trim().normalize('NFKC').toLowerCase();
  if (normalized.length > 254 || normalized.includes(NUL) || !emailSchema.safeParse(normalized).success) {
    throw new AuthError('validation_failed', 'The email address is not valid.', {
      details: [{ path: 'email', message: 'must be an email address' }],
    });
  }
  return normalized;
}

/** Passwords are compared in NFKC so the same password typed on two keyboards matches. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * The form a lookup by email uses whatever was typed: {@link normalizeEmail}, or for malformed input a
 * loose form (trimmed, NFKC, lower-cased, U+0000 replaced by U+FFFD) that matches no stored address
 * and is safe to send to any database. For flows that must answer a malformed email like an unknown one.
 *
 * @example
 * ```ts
 * const email = lookupEmail(input.email) // never throws
 * const account = await ctx.storage.accounts.findByEmail(group, email)
 * ```
 */
export function lookupEmail(email: string): string {
  try {
    return normalizeEmail(email);
  } catch {
    return email.trim().normalize('NFKC').toLowerCase().replaceAll(NUL, '\uFFFD');
  }
}

/**
 * Refuses a name part (or any free text latchkey stores) that holds U+0000.
 *
 * @throws AuthError `validation_failed` with detail `path`
 */
export function assertNoNul(value: string | null | undefined, path: string): void {
  if (!value?.includes(NUL)) return;
  throw new AuthError('validation_failed', 'The text must not contain NUL characters.', {
    details: [{ path, message: 'must not contain NUL characters' }],
  });
}
