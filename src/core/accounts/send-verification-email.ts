import type { AuthContext } from '../context.js';
import { AuthError, isAuthError } from '../errors.js';
import { enforce } from '../limits/enforce.js';
import { sendMail } from '../mail/send-mail.js';
import type { AccountRecord } from '../ports.js';
import { toAccountResource } from './account-resource.js';
import { issueOneTimeToken } from './one-time-token.js';
import { VERIFICATION_MAIL_PER_ACCOUNT } from './registration-limits.js';
import { loadLiveAccount } from '../two-factor/load-account.js';
import { groupOf } from '../lib/group-of.js';

/** The `sendVerificationEmail` operation of `Auth`: the one place its documentation lives. */
export const sendVerificationEmailOperation = {
  /**
   * Mails the account a new email verification token; earlier verification tokens stop working.
   *
   * An address that is already verified gets no mail and the call resolves all the same: there is
   * nothing to prove, and answering the same way keeps the route simple for clients.
   *
   * At most 5 mails per hour per account (`VERIFICATION_MAIL_PER_ACCOUNT`): a stolen or scripted token
   * must not turn this into a way to flood the owner's mailbox.
   *
   * @throws AuthError `not_found` (no such account, or a deleted one), `rate_limited` (with `retryAfter`),
   * `mail_delivery_failed` (the mailer refused the message; the new token exists but nobody has it)
   * @example
   * ```ts
   * await auth.sendVerificationEmail({ group: claims.grp, accountId: claims.sub })
   * ```
   */
  sendVerificationEmail,
};

/** See {@link sendVerificationEmailOperation}. */
export async function sendVerificationEmail(
  ctx: AuthContext,
  input: { group?: string | undefined; accountId: string },
): Promise<void> {
  const account = await loadLiveAccount(ctx, groupOf(input), input.accountId);
  if (account.emailVerifiedAt) return;
  const decision = await ctx.rateLimiter.hit(VERIFICATION_MAIL_PER_ACCOUNT, `${account.group}:${account.id}`);
  enforce(decision, 'Too many verification mails were requested. Try again later.');
  await mailVerification(ctx, account);
}

/**
 * Issues a verification token for the account's current address and mails it. Internal: registration
 * calls it through {@link mailVerificationInBackground}.
 *
 * @throws AuthError `mail_delivery_failed`
 */
export async function mailVerification(ctx: AuthContext, account: AccountRecord): Promise<void> {
  const ttl = ctx.options.emailVerificationTtl;
  const token = await issueOneTimeToken(ctx, 'email_verification', account, ttl);
  await sendMail(ctx, {
    kind: 'email-verification',
    to: account.email,
    account: toAccountResource(account),
    token,
    linkTemplate: ctx.options.email.verificationUrl,
    expiresInMinutes: Math.round(ttl / 60),
  });
}

/**
 * {@link mailVerification} without waiting for it, for flows whose answer must not depend on the mail
 * (registration answers a new and an existing email in the same time). Failures are logged, never
 * with the address or the token.
 */
export function mailVerificationInBackground(ctx: AuthContext, account: AccountRecord): Promise<void> {
  return mailVerification(ctx, account).catch((error: unknown) => {
    if (isAuthError(error, 'mail_delivery_failed')) return; // sendMail has logged it
    ctx.logger.error('could not issue an email verification token', {
      group: account.group,
      accountId: account.id,
      error: error instanceof Error ? error.message : String(error),
    });
  });
}
