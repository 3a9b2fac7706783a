import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { enforce } from '../limits/enforce.js';
import { VERIFICATION_MAIL_PER_ACCOUNT } from '../internal/accounts/registration-limits.js';
import { loadLiveAccount } from '../internal/two-factor/load-account.js';
import { groupOf } from '../lib/group-of.js';
import { mailVerification } from '../internal/accounts/verification-mail.js';

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
