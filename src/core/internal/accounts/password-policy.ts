import { AuthError } from '../../errors.js';

/** The length window of new passwords (rules beyond it are the `PasswordPolicy` port's). */
export interface PasswordLengthPolicy {
  minLength: number;
  maxLength: number;
}

/** Local parts shorter than this are too common to refuse as substrings. */
const MIN_LOCAL_PART = 3;

/**
 * NIST SP 800-63B: a length window counted in Unicode code points after NFKC, no composition rules,
 * and no password built from the account's own email.
 *
 * @throws AuthError `validation_failed` with a detail on `password` saying why
 */
export function checkPasswordPolicy(password: string, email: string, policy: PasswordLengthPolicy): void {
  const length = [...password].length;
  const refuse = (message: string): never => {
    throw new AuthError('validation_failed', `The password ${message}.`, { details: [{ path: 'password', message }] });
  };
  if (length < policy.minLength) refuse(`must be at least ${policy.minLength} characters`);
  if (length > policy.maxLength) refuse(`must be at most ${policy.maxLength} characters`);
  const localPart = email.slice(0, email.lastIndexOf('@'));
  if (localPart.length >= MIN_LOCAL_PART && password.toLowerCase().includes(localPart)) {
    refuse('must not contain the email address');
  }
}
