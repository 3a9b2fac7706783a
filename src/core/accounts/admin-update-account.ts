import { z } from 'zod';
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { groupOf } from '../lib/group-of.js';
import type { AccountPatch } from '../ports.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import { loadAdminTarget } from '../internal/accounts/admin-target.js';
import { applyJsonPatch, type PatchOperation } from '../internal/accounts/json-patch.js';
import { normalizeEmail } from '../internal/accounts/normalize.js';
import { ROLE_NAME } from '../internal/accounts/roles.js';
import { mailVerificationInBackground } from '../internal/accounts/verification-mail.js';
import { type AdminActor, recordAdminAction } from '../internal/admin/audit.js';
import { inTransaction } from '../internal/transaction.js';

/** The merge form of an administrator's update: absent fields stay as they are, `null` clears a name part. */
export interface AdminAccountPatch {
  name?: { first?: string | null; last?: string | null };
  /** The whole set of roles the account should hold. */
  roles?: string[];
  email?: string;
}

/** What `auth.adminUpdateAccount` takes. */
export interface AdminUpdateAccountInput extends AdminActor {
  /** The group administered (default `default`): an account of any other group is `not_found`. */
  group?: string | undefined;
  /** The account changed. */
  accountId: string;
  /** The administrator's account id (the access token's `sub`): the roles they may grant are theirs. */
  actorId: string;
  /**
   * A merge object, or an RFC 6902 JSON Patch applied to `{ name: { first, last }, roles, email }`
   * (operations shaped like `JsonPatchOperation`).
   */
  patch: AdminAccountPatch | { op: PatchOperation['op']; path: string; from?: string; value?: unknown }[];
}

const INVALID = 'The account update is not valid.';
const PATHS = /^\/(name(\/(first|last))?|roles(\/(\d+|-))?|email)$/;
const ALLOWED = { test: (pointer: string) => PATHS.test(pointer), describe: 'only /name, /name/first, /name/last, /roles, /roles/<index> and /email can be changed' };

const namePart = z.string().trim().max(100).refine((n) => !n.includes('\u0000'), 'must not contain NUL characters').nullable();
const role = z.string().regex(ROLE_NAME, 'must be a lower-case letter then up to 31 of a-z, 0-9, _ and -');
const roles = z.array(role).max(32);
const email = z.string().max(320);
const mergeSchema = z.strictObject({
  name: z.strictObject({ first: namePart.optional(), last: namePart.optional() }).optional(),
  roles: roles.optional(),
  email: email.optional(),
});
const documentSchema = z.strictObject({
  name: z.strictObject({ first: namePart.optional(), last: namePart.optional() }),
  roles,
  email,
});

interface Editable {
  first: string | null;
  last: string | null;
  roles: string[];
  email: string;
}

/** The `adminUpdateAccount` operation of `Auth`: the one place its documentation lives. */
export const adminUpdateAccountOperation = {
  /**
   * An administrator changes an account of the group (`PATCH /accounts/{id}`): its name, roles and
   * email. Takes a merge object (`{ name?, roles?, email? }`, `roles` being the whole new set) or an
   * RFC 6902 JSON Patch applied to `{ name: { first, last }, roles, email }`, all or nothing.
   *
   * - Roles: the administrator may grant only roles they hold themselves; removing any role is fine.
   *   Each role granted or revoked emits `account.role-changed`.
   * - Email: normalised; one another account of the group holds is `conflict`. The address becomes
   *   unverified and a verification is mailed to the new one. An administrator may not change the
   *   email of an account that holds a role they lack (that would let them take it over by a reset).
   * - Any change emits `account.updated`; an update that changes nothing stores nothing.
   *
   * The caller's admin role is checked by the HTTP route (`auth: 'admin'`); here `actorId` decides
   * which roles may be granted.
   *
   * @throws AuthError `not_found` (no such account in the group, or deleted), `validation_failed`
   *   (details name the field, or the operation as `0.path`), `forbidden` (a role the actor lacks, or
   *   the email of a more privileged account), `conflict` (the email is taken)
   * @example
   * ```ts
   * await auth.adminUpdateAccount({ group, accountId, actorId: claims.sub, patch: { roles: ['admin'] } })
   * await auth.adminUpdateAccount({
   *   group,
   *   accountId,
   *   actorId: claims.sub,
   *   patch: [{ op: 'replace', path: '/email', value: 'ada@example.com' }],
   * })
   * ```
   */
  adminUpdateAccount,
};

/** See {@link adminUpdateAccountOperation}. */
export async function adminUpdateAccount(ctx: AuthContext, input: AdminUpdateAccountInput): Promise<AccountResource> {
  const group = groupOf(input);
  const account = await loadAdminTarget(ctx, group, input.accountId);
  const actor = await ctx.storage.accounts.findById(group, input.actorId);
  if (!actor || actor.status !== 'active') throw forbidden('Only an active account of this group can do this.');

  const current: Editable = { first: account.firstName, last: account.lastName, roles: account.roles, email: account.email };
  const next = Array.isArray(input.patch) ? applyPatchForm(current, input.patch) : applyMerge(current, input.patch);

  const granted = next.roles.filter((r) => !account.roles.includes(r));
  const revoked = account.roles.filter((r) => !next.roles.includes(r));
  if (granted.some((r) => !actor.roles.includes(r))) throw forbidden('You cannot grant a role you do not hold.');
  const emailChanged = next.email !== account.email;
  if (emailChanged && account.roles.some((r) => !actor.roles.includes(r))) {
    throw forbidden('You cannot change the email of an account that holds a role you do not hold.');
  }

  const now = ctx.clock.now();
  const patch: AccountPatch = {};
  if (next.first !== account.firstName) patch.firstName = next.first;
  if (next.last !== account.lastName) patch.lastName = next.last;
  if (granted.length > 0 || revoked.length > 0) patch.roles = next.roles;
  if (emailChanged) {
    const holder = await ctx.storage.accounts.findByEmail(group, next.email);
    if (holder && holder.id !== account.id) throw taken();
    Object.assign(patch, { email: next.email, emailVerifiedAt: null, emailAddedAt: now });
  }
  if (Object.keys(patch).length === 0) return toAccountResource(account);

  // The change and its events are stored together.
  const { updated, resource } = await inTransaction(ctx, async (tx) => {
    const updated = await tx.storage.accounts.update(group, account.id, { ...patch, updatedAt: now }).catch((error: unknown) => {
      throw error instanceof AuthError && error.code === 'conflict' ? taken() : error;
    });
    if (!updated) throw new AuthError('not_found', 'No such account.');
    const resource = toAccountResource(updated);
    for (const [list, change] of [[granted, 'granted'], [revoked, 'revoked']] as const) {
      for (const r of list) await emit(tx, 'account.role-changed', group, { account: resource, role: r, change });
    }
    await emit(tx, 'account.updated', group, { account: resource });
    return { updated, resource };
  });
  if (emailChanged) void mailVerificationInBackground(ctx, updated);
  const target = { type: 'account' as const, id: account.id };
  await recordAdminAction(ctx, { group, actor: input, action: 'account.update', target, details: { fields: Object.keys(patch) } });
  ctx.logger.info('account updated by an administrator', {
    group,
    accountId: account.id,
    actorId: input.actorId,
    fields: Object.keys(patch),
  });
  return resource;
}

function applyMerge(current: Editable, patch: unknown): Editable {
  const merge = parse(mergeSchema, patch);
  return finish({
    first: merge.name?.first === undefined ? current.first : merge.name.first,
    last: merge.name?.last === undefined ? current.last : merge.name.last,
    roles: merge.roles ?? current.roles,
    email: merge.email ?? current.email,
  }, current);
}

function applyPatchForm(current: Editable, operations: PatchOperation[]): Editable {
  const document = { name: { first: current.first, last: current.last }, roles: current.roles, email: current.email };
  const patched = parse(documentSchema, applyJsonPatch(document, operations, ALLOWED, INVALID));
  return finish({ first: patched.name.first ?? null, last: patched.name.last ?? null, roles: patched.roles, email: patched.email }, current);
}

/** Blank names are no names, roles are sorted and unique, and a new email is normalised. */
function finish(next: Editable, current: Editable): Editable {
  const email = next.email === current.email ? current.email : normalizeEmail(next.email);
  return { first: next.first || null, last: next.last || null, roles: [...new Set(next.roles)].sort(), email };
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AuthError('validation_failed', INVALID, {
    details: result.error.issues.map((issue) => ({
      path: [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.'),
      message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message,
    })),
  });
}

const forbidden = (message: string) => new AuthError('forbidden', message);
const taken = () => new AuthError('conflict', 'Another account of this group has this email address.');
