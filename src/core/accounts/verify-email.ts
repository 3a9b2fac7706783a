import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { admitClient } from '../limits/client-limit.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import { forgetUnprovenSetup } from '../internal/accounts/forget-unproven-setup.js';
import { consumeOneTimeToken } from '../internal/accounts/one-time-token.js';
import { inTransaction } from '../internal/transaction.js';

/** What `auth.verifyEmail` takes: the token from the verification mail. No access token is needed. */
export interface VerifyEmailInput extends RequestInfo {
  /** The group the token was issued in (default `default`); a token of another group is invalid. */
  group?: string;
  /** The token from the verification mail. */
  token: string;
}

/** The `verifyEmail` operation of `Auth`: the one place its documentation lives. */
export const verifyEmailOperation = {
  /**
   * Marks an account's email address verified with the single-use token mailed to it.
   *
   * The token verifies the address it was mailed to and no other: when the account's email has changed
   * since, or the account is deleted, the token is refused (and used up). An address that is already
   * verified stays as it is, and no event is emitted for it.
   *
   * The first verification is the first proof of the mailbox, so it forgets everything set up on the
   * account before it (see `forgetUnprovenSetup`): every session ends (reason `email_proven`: sessions
   * opened before the verification must sign in again), and every passkey, TOTP, the phone, email codes,
   * recovery codes and `allowSupportLogin` are gone. Whoever registered the address before its owner
   * keeps nothing but the password, which the owner replaces with a reset.
   *
   * @throws AuthError `invalid_token` — unknown, used, replaced by a newer one, expired, of another group,
   * or for an address the account no longer has
   * @example
   * ```ts
   * const account = await auth.verifyEmail({ token: new URL(link).searchParams.get('token')! })
   * account.email.verified // true
   * ```
   */
  verifyEmail,
};

/** See {@link verifyEmailOperation}. */
export async function verifyEmail(ctx: AuthContext, input: VerifyEmailInput): Promise<AccountResource> {
  const group = input.group ?? DEFAULT_GROUP;
  await admitClient(ctx, 'request', input.ip);
  const token = await consumeOneTimeToken(ctx, 'email_verification', group, input.token);
  const account = await ctx.storage.accounts.findById(group, token.accountId);
  if (!account || account.status === 'deleted' || account.email !== token.email) {
    throw new AuthError('invalid_token', 'The token is invalid, expired or already used.');
  }
  if (account.emailVerifiedAt) return toAccountResource(account);

  // What was set up before the proof is forgotten, and the address verified, in one transaction.
  return inTransaction(ctx, async (tx) => {
    const forgotten = await forgetUnprovenSetup(tx, account);
    if (!forgotten) throw new AuthError('invalid_token', 'The token is invalid, expired or already used.');
    const now = tx.clock.now();
    const updated = await tx.storage.accounts.update(group, account.id, { emailVerifiedAt: now, updatedAt: now });
    if (!updated) throw new AuthError('invalid_token', 'The token is invalid, expired or already used.');
    const resource = toAccountResource(updated);
    await emit(tx, 'account.updated', group, { account: resource });
    return resource;
  });
}
