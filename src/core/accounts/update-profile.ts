import { applyPatch, type Operation } from 'rfc6902';
import { z } from 'zod';
import type { AuthContext } from '../context.js';
import { AuthError, type ErrorDetail } from '../errors.js';
import { emit } from '../events/emit.js';
import type { AccountRecord } from '../ports.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import { loadLiveAccount } from '../internal/two-factor/load-account.js';
import { groupOf } from '../lib/group-of.js';
import { inTransaction } from '../internal/transaction.js';

/** The merge form of a profile update: absent fields stay as they are, `null` clears a name part. */
export type ProfilePatch = { name?: { first?: string | null; last?: string | null }; allowSupportLogin?: boolean };

/**
 * One operation of an RFC 6902 JSON Patch, as `auth.updateProfile` takes it. `path` and `from` are
 * JSON Pointers, limited there to `/name`, `/name/first`, `/name/last` and `/allowSupportLogin`.
 *
 * @example
 * ```ts
 * const patch: JsonPatchOperation[] = [
 *   { op: 'test', path: '/name/last', value: null },
 *   { op: 'add', path: '/name/last', value: 'Lovelace' },
 * ]
 * ```
 */
export type JsonPatchOperation = {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
};

/** What `auth.updateProfile` takes: the signed-in account, and the change in one of two forms. */
export interface UpdateProfileInput {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  accountId: string;
  /** A merge object, or an RFC 6902 JSON Patch applied to `{ name: { first, last }, allowSupportLogin }`. */
  patch: ProfilePatch | JsonPatchOperation[];
}

/** The part of an account its owner may edit, as JSON Patch sees it. */
interface EditableProfile {
  name: { first: string | null; last: string | null };
  allowSupportLogin: boolean;
}

/** The only pointers a patch may name, in `path` or in `from`. */
const EDITABLE_PATHS = new Set(['/name', '/name/first', '/name/last', '/allowSupportLogin']);
const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const INVALID = 'The profile update is not valid.';

/** Trimmed, at most 100 characters. */
const namePart = z
  .string()
  .trim()
  .max(100)
  .refine((name) => !name.includes('\u0000'), 'must not contain NUL characters')
  .nullable()
  .optional();
/** A blank name is no name; so is a part a patch removed. */
const orNull = (name: string | null | undefined): string | null => (name ? name : null);

const mergeSchema = z.strictObject({
  name: z.strictObject({ first: namePart, last: namePart }).optional(),
  allowSupportLogin: z.boolean().optional(),
});

const profileSchema = z.strictObject({
  name: z.strictObject({ first: namePart, last: namePart }),
  allowSupportLogin: z.boolean(),
});

/** The `updateProfile` operation of `Auth`: the one place its documentation lives. */
export const updateProfileOperation = {
  /**
   * Updates the signed-in account's name and `allowSupportLogin`. Takes either a merge object (the fields
   * given are set) or an RFC 6902 JSON Patch, applied to `{ name: { first, last }, allowSupportLogin }`:
   * every `path` and `from` must be one of `/name`, `/name/first`, `/name/last`, `/allowSupportLogin`, and
   * the patch applies entirely or not at all (a failing `test` changes nothing). Removing a name part
   * clears it. Names are trimmed, at most 100 characters; a blank name is stored as null. An update that
   * changes nothing stores nothing and emits no event.
   *
   * @throws AuthError `validation_failed` (details name the field, or the operation as `0.path`),
   * `not_found` (unknown or deleted account)
   * @example
   * ```ts
   * await auth.updateProfile({ group, accountId: claims.sub, patch: { name: { first: 'Ada' } } })
   * await auth.updateProfile({
   *   group,
   *   accountId: claims.sub,
   *   patch: [{ op: 'test', path: '/name/last', value: null }, { op: 'add', path: '/name/last', value: 'Lovelace' }],
   * })
   * ```
   */
  updateProfile,
};

/** See {@link updateProfileOperation}. */
export async function updateProfile(ctx: AuthContext, input: UpdateProfileInput): Promise<AccountResource> {
  const account = await loadLiveAccount(ctx, groupOf(input), input.accountId);
  const current: EditableProfile = {
    name: { first: account.firstName, last: account.lastName },
    allowSupportLogin: account.allowSupportLogin,
  };
  const next = Array.isArray(input.patch) ? applyJsonPatch(current, input.patch) : applyMerge(current, input.patch);
  if (!changed(account, next)) return toAccountResource(account);

  return inTransaction(ctx, async (tx) => {
    const updated = await tx.storage.accounts.update(groupOf(input), input.accountId, {
      firstName: next.name.first,
      lastName: next.name.last,
      allowSupportLogin: next.allowSupportLogin,
      updatedAt: tx.clock.now(),
    });
    if (!updated) throw new AuthError('not_found', 'No such account.');
    const resource = toAccountResource(updated);
    await emit(tx, 'account.updated', groupOf(input), { account: resource });
    return resource;
  });
}

function applyMerge(current: EditableProfile, patch: unknown): EditableProfile {
  const merge = parse(mergeSchema, patch);
  return {
    name: {
      first: merge.name?.first === undefined ? current.name.first : orNull(merge.name.first),
      last: merge.name?.last === undefined ? current.name.last : orNull(merge.name.last),
    },
    allowSupportLogin: merge.allowSupportLogin ?? current.allowSupportLogin,
  };
}

function applyJsonPatch(current: EditableProfile, operations: JsonPatchOperation[]): EditableProfile {
  const problems = operations.flatMap(checkOperation);
  if (problems.length > 0) throw invalid(problems);
  const document: unknown = structuredClone(current);
  // rfc6902 goes on after a failed operation; the first failure rejects the whole patch.
  const results = applyPatch(document, operations as Operation[]);
  const failed = results.findIndex((result) => result !== null);
  if (failed >= 0) throw invalid([describeFailure(operations[failed]!, failed, results[failed]!)]);
  const profile = parse(profileSchema, document);
  return {
    name: { first: orNull(profile.name.first), last: orNull(profile.name.last) },
    allowSupportLogin: profile.allowSupportLogin,
  };
}

/** Checks one operation's shape and that it touches only editable fields. */
function checkOperation(operation: JsonPatchOperation, index: number): ErrorDetail[] {
  const at = (field: string, message: string): ErrorDetail => ({ path: `${index}.${field}`, message });
  if (typeof operation !== 'object' || operation === null) {
    return [{ path: String(index), message: 'must be an operation' }];
  }
  const { op, path, from } = operation;
  if (!OPS.has(op)) return [at('op', 'must be add, remove, replace, move, copy or test')];
  const problems: ErrorDetail[] = [];
  const allowed = 'only /name, /name/first, /name/last and /allowSupportLogin can be changed';
  if (typeof path !== 'string' || !EDITABLE_PATHS.has(path)) problems.push(at('path', allowed));
  if (op === 'move' || op === 'copy') {
    if (typeof from !== 'string' || !EDITABLE_PATHS.has(from)) problems.push(at('from', allowed));
  }
  if ((op === 'add' || op === 'replace' || op === 'test') && operation.value === undefined) {
    problems.push(at('value', 'is required'));
  }
  return problems;
}

function describeFailure(operation: JsonPatchOperation, index: number, error: Error): ErrorDetail {
  if (operation.op === 'test') return { path: String(index), message: 'test failed: the value is different' };
  const missingFrom = 'path' in error && error.path === operation.from && operation.path !== operation.from;
  return { path: `${index}.${missingFrom ? 'from' : 'path'}`, message: 'no value at this location' };
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(
    result.error.issues.map((issue) => ({
      path: [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.'),
      message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message,
    })),
  );
}

const invalid = (details: ErrorDetail[]) => new AuthError('validation_failed', INVALID, { details });

const changed = (account: AccountRecord, next: EditableProfile): boolean =>
  account.firstName !== next.name.first ||
  account.lastName !== next.name.last ||
  account.allowSupportLogin !== next.allowSupportLogin;
