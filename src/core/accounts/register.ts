import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError, isAuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { requireGroup } from '../groups/require-group.js';
import { newId } from '../lib/ids.js';
import type { AccountRecord } from '../ports.js';
import { type AccountResource, toAccountResource } from './account-resource.js';
import { normalizeEmail, normalizePassword } from './normalize.js';
import { checkPasswordPolicy } from './password-policy.js';

export interface RegisterInput extends RequestInfo {
  group?: string;
  email: string;
  password: string;
  name?: { first?: string | null; last?: string | null };
}

/**
 * Self-registration. An email that already has an account answers exactly like a new one (same shape,
 * same work, a fresh id that leads nowhere), so sign-up cannot be used to find out who has an account.
 *
 * @throws AuthError `validation_failed` (email, password policy), `registration_closed` (locked group),
 * `not_found` (unknown group)
 * @example
 * ```ts
 * const account = await auth.register({ email: 'ada@example.com', password: 'correct horse battery' })
 * ```
 */
export async function register(ctx: AuthContext, input: RegisterInput): Promise<AccountResource> {
  const group = await requireGroup(ctx, input.group ?? DEFAULT_GROUP);
  if (group.locked) throw new AuthError('registration_closed', 'Registration is closed for this group.');
  const email = normalizeEmail(input.email);
  const password = normalizePassword(input.password);
  checkPasswordPolicy(password, email, ctx.options.password);

  const passwordHash = await ctx.hasher.hash(password);
  const now = ctx.clock.now();
  const account: AccountRecord = {
    id: newId('acc', now),
    group: group.id,
    email,
    emailVerifiedAt: null,
    emailAddedAt: now,
    firstName: input.name?.first ?? null,
    lastName: input.name?.last ?? null,
    passwordHash,
    roles: [],
    allowSupportLogin: false,
    status: 'active',
    statusChangedAt: now,
    statusReason: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    lastLoginAt: null,
    lastLoginDevice: null,
    lastPasswordChangeAt: now,
  };
  try {
    await ctx.storage.accounts.create(account);
  } catch (error) {
    if (!isAuthError(error, 'conflict')) throw error;
    ctx.logger.info('registration of an existing email answered without creating an account', { group: group.id });
    return toAccountResource(account);
  }
  const resource = toAccountResource(account);
  emit(ctx, 'account.created', group.id, { account: resource });
  return resource;
}
