import { z } from 'zod';
import type { AuthContext } from '../../context.js';
import { AuthError, type AuthErrorCode, isAuthError } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import type { AccountRecord } from '../../ports.js';
import { NO_SECOND_FACTOR, toAccountResource } from './account-resource.js';
import { emit } from '../../events/emit.js';
import { inTransaction } from '../transaction.js';
import { normalizeEmail } from './normalize.js';
import { issueOneTimeToken } from './one-time-token.js';
import { ROLE_NAME } from './roles.js';

/** Rows one import takes at most (api.md: up to 1000). */
export const MAX_IMPORT_ROWS = 1000;

/** One account to import, as `POST /accounts/import` takes it. */
export interface ImportAccountRow {
  email: string;
  name?: { first?: string | null; last?: string | null } | undefined;
  /** Roles to grant; the importing administrator must hold each. */
  roles?: string[] | undefined;
  /** A hash from the system the account comes from (bcrypt, PHC argon2 or PBKDF2), kept as it is. */
  passwordHash?: string | undefined;
}

/** Why a row was not imported: a stable code, and a message that never quotes a hash. */
export interface ImportRowError {
  code: AuthErrorCode;
  message: string;
}

/** A row that passed every check that needs no write. */
export interface CheckedRow {
  email: string;
  first: string | null;
  last: string | null;
  roles: string[];
  passwordHash: string | null;
}

const namePart = z.string().max(100).nullable().optional();
const rowSchema = z.strictObject({
  email: z.string().max(320),
  name: z.strictObject({ first: namePart, last: namePart }).optional(),
  roles: z.array(z.string().regex(ROLE_NAME, 'must be a lower-case letter then up to 31 of a-z, 0-9, _ and -')).max(32).optional(),
  passwordHash: z.string().min(1).max(1024).optional(),
});

/** A row error of `code`. */
export const rowError = (code: AuthErrorCode, message: string): ImportRowError => ({ code, message });

/**
 * Checks a row's shape and normalises it: the email (as everywhere), names (trimmed; blank is none),
 * roles (sorted, each once). Roles and the hash are checked by the caller, which knows the actor and
 * the hasher.
 */
export function readRow(row: unknown): CheckedRow | ImportRowError {
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.');
    const message = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
    return rowError('validation_failed', `The row is not valid (${path || 'row'}: ${message}).`);
  }
  let email: string;
  try {
    email = normalizeEmail(parsed.data.email);
  } catch {
    return rowError('validation_failed', 'The email address is not valid.');
  }
  const clean = (part: string | null | undefined) => part?.trim() || null;
  return {
    email,
    first: clean(parsed.data.name?.first),
    last: clean(parsed.data.name?.last),
    roles: [...new Set(parsed.data.roles ?? [])].sort(),
    passwordHash: parsed.data.passwordHash ?? null,
  };
}

/** The row's `email` as given, for the failure list: a string, or null when it has none. */
export function emailOf(row: unknown): string | null {
  const email = (row as { email?: unknown } | null)?.email;
  return typeof email === 'string' ? email.slice(0, 320) : null;
}

/**
 * Stores one checked row as a new account with its claim token, or nothing: the account is created
 * first (atomic on the email: a concurrent import or registration of the same address makes this one
 * `conflict`), and if the token cannot be stored the account is removed again.
 *
 * @returns the stored account and its claim token, or the row's error
 */
export async function storeImportedAccount(
  ctx: AuthContext,
  group: string,
  row: CheckedRow,
): Promise<{ account: AccountRecord; token: string } | ImportRowError> {
  const now = ctx.clock.now();
  const account: AccountRecord = {
    id: newId('acc', now),
    group,
    email: row.email,
    emailVerifiedAt: null,
    emailAddedAt: now,
    firstName: row.first,
    lastName: row.last,
    passwordHash: row.passwordHash,
    roles: row.roles,
    allowSupportLogin: false,
    status: 'active',
    statusChangedAt: now,
    statusReason: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    lastLoginAt: null,
    lastLoginDevice: null,
    lastPasswordChangeAt: row.passwordHash ? now : null,
    ...NO_SECOND_FACTOR,
  };
  try {
    // The account, its claim token and its `account.created` are stored together, or nothing is.
    return await inTransaction(ctx, async (tx) => {
      await tx.storage.accounts.create(account);
      const token = await issueOneTimeToken(tx, 'account_claim', account, tx.options.importClaimTtl);
      await emit(tx, 'account.created', group, { account: toAccountResource(account) });
      return { account, token };
    });
  } catch (error) {
    if (isAuthError(error, 'conflict')) return rowError('conflict', 'An account of this group has this email address.');
    return failed(ctx, group, error);
  }
}

function failed(ctx: AuthContext, group: string, error: unknown): ImportRowError {
  ctx.logger.error('could not import an account', { group, error: error instanceof Error ? error.message : String(error) });
  const known = error instanceof AuthError && error.code !== 'internal_error';
  return known ? rowError(error.code, error.message) : rowError('internal_error', 'The account could not be stored. Try this row again.');
}
