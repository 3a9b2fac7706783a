import type { AuthContext } from '../../context.js';
import { isAuthError } from '../../errors.js';
import { sendMail } from '../../mail/send-mail.js';
import type { AccountRecord } from '../../ports.js';
import { toAccountResource } from './account-resource.js';
import { issueOneTimeToken } from './one-time-token.js';

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
