import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import { emit } from '../../events/emit.js';
import { newId } from '../../lib/ids.js';
import { sendMail } from '../../mail/send-mail.js';
import type { AccountRecord } from '../../ports.js';
import { NO_SECOND_FACTOR, toAccountResource } from '../accounts/account-resource.js';
import { issueOneTimeToken } from '../accounts/one-time-token.js';
import { ADMIN_ROLE } from '../accounts/roles.js';

/**
 * The owner account of a new group: made for `email` with no password and the `admin` role, to be
 * mailed a claim link by {@link mailOwnerClaimInBackground} (an `account_claim` token, as imported
 * accounts get, valid for the `importClaimTtl` option, 7 days by default, sent as an `account-claim`
 * mail). Setting the password through it (`POST /password/reset`) proves the mailbox; after it expires
 * the owner asks for a new one with `POST /password/forgot`. Emits `account.created`.
 *
 * @throws AuthError `conflict` when the group already has an account with this email
 */
export async function createOwnerAccount(ctx: AuthContext, group: string, email: string): Promise<AccountRecord> {
  const now = ctx.clock.now();
  const account: AccountRecord = {
    id: newId('acc', now),
    group,
    email,
    emailVerifiedAt: null,
    emailAddedAt: now,
    firstName: null,
    lastName: null,
    passwordHash: null,
    roles: [ADMIN_ROLE],
    allowSupportLogin: false,
    status: 'active',
    statusChangedAt: now,
    statusReason: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    lastLoginAt: null,
    lastLoginDevice: null,
    lastPasswordChangeAt: null,
    ...NO_SECOND_FACTOR,
  };
  await ctx.storage.accounts.create(account);
  await emit(ctx, 'account.created', group, { account: toAccountResource(account) });
  return account;
}

/** Mails the owner its claim link, in the background: a failed mail is logged, and `POST /password/forgot` sends another. */
export function mailOwnerClaimInBackground(ctx: AuthContext, account: AccountRecord): void {
  const ttl = ctx.options.importClaimTtl;
  void issueOneTimeToken(ctx, 'account_claim', account, ttl)
    .then((token) =>
      sendMail(ctx, {
        kind: 'account-claim',
        to: account.email,
        account: toAccountResource(account),
        token,
        linkTemplate: ctx.options.email.resetUrl,
        expiresInMinutes: Math.round(ttl / 60),
      }),
    )
    .catch((error: unknown) => {
      if (error instanceof AuthError && error.code === 'mail_delivery_failed') return; // sendMail has logged it
      ctx.logger.error('could not mail a group owner its claim link', {
        group: account.group,
        accountId: account.id,
        error: error instanceof Error ? error.message : String(error),
      });
    });
}
