import { z } from 'zod';
import { secretWeakness } from '../lib/secret-strength.js';
import type { PasswordPolicy, Storage } from '../ports.js';

/** Seconds in a day. */
export const DAY = 86_400;

/** A structural check for an object port: it must have these methods. */
export function port<T>(name: string, methods: string[]) {
  return z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    { message: `must implement the ${name} port (${methods.join(', ')})` },
  );
}

const isPasswordPolicy = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).check === 'function';

/** One password policy, or a list of up to 20. */
export const passwordPolicies = () =>
  z.custom<PasswordPolicy | readonly PasswordPolicy[]>(
    (value) => (Array.isArray(value) ? value.length <= 20 && value.every(isPasswordPolicy) : isPasswordPolicy(value)),
    { message: 'must implement the PasswordPolicy port (check), or be an array of up to 20 that do' },
  );

/** The Storage port: every repository present. */
export const storage = z.custom<Storage>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['groups', 'accounts', 'sessions', 'refreshTokens', 'loginAttempts', 'signingKeys', 'oneTimeTokens', 'recoveryCodes', 'otpCodes', 'webauthnCredentials', 'webauthnChallenges'].every(
      (repo) => typeof (value as Record<string, unknown>)[repo] === 'object',
    ),
  {
    message:
      'must implement the Storage port (groups, accounts, sessions, refreshTokens, loginAttempts, signingKeys, oneTimeTokens, recoveryCodes, otpCodes, webauthnCredentials, webauthnChallenges)',
  },
);

/** A `secret`: 32+ characters that are not an obvious placeholder. Issues never quote the value. */
export const secretString = () =>
  z
    .string()
    .min(32, 'must be at least 32 characters')
    .superRefine((value, issues) => {
      const weakness = value.length >= 32 ? secretWeakness(value) : undefined;
      if (weakness) issues.addIssue({ code: 'custom', message: weakness });
    });

/** A rate limit, `{ points, durationSeconds }`, with its default. */
export const rule = (points: number, durationSeconds: number) =>
  z
    .strictObject({
      points: z.number().int().min(1).max(1_000_000),
      durationSeconds: z.number().int().min(1).max(30 * DAY),
    })
    .prefault({ points, durationSeconds });
