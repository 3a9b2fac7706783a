import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { admitClient } from '../limits/client-limit.js';
import { sendMail } from '../mail/send-mail.js';
import type { RateLimitRule } from '../ports.js';
import { toAccountResource } from '../internal/accounts/account-resource.js';
import { panicLockLiftsByMailbox } from '../internal/accounts/lift-panic-lock.js';
import { normalizeEmail } from '../internal/accounts/normalize.js';
import { issueOneTimeToken } from '../internal/accounts/one-time-token.js';

/**
 * What `auth.requestPasswordReset` takes: the address to mail a reset token to, if it has an account.
 * The answer never says whether it does.
 */
export interface RequestPasswordResetInput extends RequestInfo {
  /** Default `default`. */
  group?: string;
  email: string;
}

/**
 * Reset mails per `(group, email)`: enough for a person who lost a mail or two, too few to flood a
 * mailbox through the open `POST /password/forgot` route.
 */
export const PASSWORD_RESET_MAIL_RULE: RateLimitRule = { name: 'password-reset-mail', points: 5, durationSeconds: 3600 };

/** The `requestPasswordReset` operation of `Auth`: the one place its documentation lives. */
export const requestPasswordResetOperation = {
  /**
   * Starts a password reset: when the email belongs to an active account of the group (or to one its
   * owner panic-locked that has no recovery codes, for which the reset is the way back: see
   * `panicLockLiftsByMailbox`), mails it a single-use reset token (valid `passwordResetTtl`, 1 hour by
   * default; earlier reset tokens stop working).
   *
   * Only the email is checked before this resolves. The lookup, the token and the mail run on in the
   * background, so the caller gets the same answer after the same time whether or not the address has an
   * account — the route cannot be used to find out who has one. Consequently:
   * - unknown, deleted and locked accounts get no mail, and nothing says so (a locked account is
   *   unlocked with a recovery code or by an admin, not with a mailbox), except a panic-locked one
   *   without recovery codes (or whose address was never proven), which gets its way back this way;
   * - after the reset-mail limit (5 an hour per address) further requests silently send
   *   nothing;
   * - failures (storage, mailer) are logged without the address or the token, never thrown.
   *
   * @throws AuthError `validation_failed` when `email` is not an email address (the promise rejects at once)
   * @example
   * ```ts
   * await auth.requestPasswordReset({ email: form.email }) // answer 202 right away
   * ```
   */
  requestPasswordReset,
};

/** See {@link requestPasswordResetOperation}. */
export async function requestPasswordReset(ctx: AuthContext, input: RequestPasswordResetInput): Promise<void> {
  const group = input.group ?? DEFAULT_GROUP;
  const email = normalizeEmail(input.email);
  // Per client before any per-address key: one client cannot make latchkey mail (or keep counters for)
  // an unbounded number of addresses.
  await admitClient(ctx, 'mail', input.ip);
  void mailResetToken(ctx, group, email).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    ctx.logger.error('password reset request failed', { group, error: message.replaceAll(email, '[email]') });
  });
}

/** The background part of {@link requestPasswordReset}. */
async function mailResetToken(ctx: AuthContext, group: string, email: string): Promise<void> {
  // Counted before the lookup, for known and unknown addresses alike, so concurrent requests cannot
  // all pass one check.
  const decision = await ctx.rateLimiter.hit(PASSWORD_RESET_MAIL_RULE, `${group}:${email}`);
  if (!decision.allowed) {
    ctx.logger.warn('password reset mail skipped: too many requests for one address', { group });
    return;
  }
  const account = await ctx.storage.accounts.findByEmail(group, email);
  if (!account || (account.status !== 'active' && !panicLockLiftsByMailbox(account))) return;

  const ttl = ctx.options.passwordResetTtl;
  const token = await issueOneTimeToken(ctx, 'password_reset', account, ttl);
  await sendMail(ctx, {
    kind: 'password-reset',
    to: account.email,
    account: toAccountResource(account),
    token,
    linkTemplate: ctx.options.email.resetUrl,
    expiresInMinutes: Math.round(ttl / 60),
  });
}
