import { z } from 'zod';
import { AuthError } from '../errors.js';

const emailSchema = z.email();

/**
 * The one form an email is stored and looked up in: trimmed, NFKC, lower-cased.
 *
 * @throws AuthError `validation_failed` when the result is not an email address
 */
export function normalizeEmail(email: string): string {
  const normalized = email.trim().normalize('NFKC').toLowerCase();
  if (normalized.length > 254 || !emailSchema.safeParse(normalized).success) {
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
