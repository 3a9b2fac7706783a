import type { AuthContext } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { type AccountResource, toAccountResource } from './account-resource.js';
import { consumeOneTimeToken } from './one-time-token.js';

export interface VerifyEmailInput {
  /** The group the token was issued in (default `default`); a token of another group is invalid. */
  group?: string;
  /** The token from the verification mail. */
  token: string;
}

/**
 * Marks an account's email address verified with the single-use token mailed to it.
 *
 * The token verifies the address it was mailed to and no other: when the account's email has changed
 * since, or the account is deleted, the token is refused (and used up). An address that is already
 * verified stays as it is, and no event is emitted for it.
 *
 * @throws AuthError `invalid_token` — unknown, used, replaced by a newer one, expired, of another group,
 * or for an address the account no longer has
 * @example
 * ```ts
 * const account = await auth.verifyEmail({ token: new URL(link).searchParams.get('token')! })
 * account.email.verified // true
 * ```
 */
export async function verifyEmail(ctx: AuthContext, input: VerifyEmailInput): Promise<AccountResource> {
  const group = input.group ?? DEFAULT_GROUP;
  const token = await consumeOneTimeToken(ctx, 'email_verification', group, input.token);
  const account = await ctx.storage.accounts.findById(group, token.accountId);
  if (!account || account.status === 'deleted' || account.email !== token.email) {
    throw new AuthError('invalid_token', 'The token is invalid, expired or already used.');
  }
  if (account.emailVerifiedAt) return toAccountResource(account);

  const now = ctx.clock.now();
  const updated = await ctx.storage.accounts.update(group, account.id, { emailVerifiedAt: now, updatedAt: now });
  if (!updated) throw new AuthError('invalid_token', 'The token is invalid, expired or already used.');
  const resource = toAccountResource(updated);
  emit(ctx, 'account.updated', group, { account: resource });
  return resource;
}
