import { toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../../context.js';
import { AuthError } from '../../errors.js';
import { sendMail } from '../../mail/send-mail.js';
import type { AccountRecord, OtpChannel, OtpPurpose } from '../../ports.js';
import { generateOtpCode, hashOtpCode, OTP_CODE_TTL_SECONDS, otpDestination } from './otp-code.js';
import { admitOtpSend, type OtpSendPermit } from './otp-throttle.js';

const TTL_MINUTES = OTP_CODE_TTL_SECONDS / 60;

/**
 * Sends a fresh six-digit code over `channel` for `purpose`: by mail (`one-time-code`, to the account's
 * email address) or by SMS (to its phone). The code is uniformly random from the CSPRNG, lives 10
 * minutes, replaces the previous code of that account, channel and purpose, and is stored only as a
 * keyed hash bound to its destination. A resend inherits the wrong attempts of a live previous code.
 *
 * Sends are throttled (5 per 15 minutes per account and channel, 20 per IP address) and refused while
 * the live code has no attempt left; a failed delivery gives its count back. The previous code stops
 * working even when delivery fails: the caller should ask again.
 *
 * @throws AuthError `validation_failed` (`sms` without a phone), `rate_limited` (with `retryAfter`),
 * `mail_delivery_failed`, `sms_delivery_failed`
 * @example
 * ```ts
 * await sendOtpCode(ctx, account, 'sms', 'login', { ip, userAgent })
 * ```
 */
export async function sendOtpCode(
  ctx: AuthContext,
  account: AccountRecord,
  channel: OtpChannel,
  purpose: OtpPurpose,
  request: RequestInfo,
): Promise<void> {
  requireDestination(account, channel);
  const permit = await admitOtpSend(ctx, account, channel, purpose, request.ip);
  await deliverOtpCode(ctx, account, channel, purpose, permit);
}

/** The destination of `channel`, or `validation_failed` when the account has none (no phone). */
export function requireDestination(account: AccountRecord, channel: OtpChannel): string {
  const destination = otpDestination(account, channel);
  if (destination) return destination;
  throw new AuthError('validation_failed', 'The account has no phone number: add one first.', {
    details: [{ path: 'channel', message: 'needs a phone number on the account' }],
  });
}

/**
 * Issues and delivers a code once the send was admitted; a failed delivery refunds `permit`. Internal:
 * flows call {@link sendOtpCode}, or this after {@link admitOtpSend} when they must change the account
 * in between (adding a phone).
 */
export async function deliverOtpCode(
  ctx: AuthContext,
  account: AccountRecord,
  channel: OtpChannel,
  purpose: OtpPurpose,
  permit: OtpSendPermit,
): Promise<void> {
  const destination = requireDestination(account, channel);
  const code = generateOtpCode();
  const now = ctx.clock.now();
  await ctx.storage.otpCodes.issue({
    group: account.group,
    accountId: account.id,
    channel,
    purpose,
    codeHash: hashOtpCode(ctx, account, channel, purpose, destination, code),
    attempts: 0,
    createdAt: now,
    expiresAt: new Date(now.getTime() + OTP_CODE_TTL_SECONDS * 1000),
    consumedAt: null,
  });
  try {
    if (channel === 'email') {
      await sendMail(ctx, {
        kind: 'one-time-code',
        to: destination,
        account: toAccountResource(account),
        token: code,
        expiresInMinutes: TTL_MINUTES,
      });
    } else {
      await sendSms(ctx, destination, code);
    }
  } catch (error) {
    await permit.refund();
    throw error;
  }
}

async function sendSms(ctx: AuthContext, to: string, code: string): Promise<void> {
  const appName = ctx.options.email.appName ?? ctx.options.issuer;
  const text = `Your ${appName} code is ${code}. It expires in ${TTL_MINUTES} minutes.`;
  try {
    await ctx.sms.send({ to, text });
  } catch (error) {
    // Never the number or the text: the text is a working code.
    ctx.logger.error('sms delivery failed', { error: error instanceof Error ? error.message : String(error) });
    const message = 'The text message could not be sent. Try again later.';
    throw new AuthError('sms_delivery_failed', message, { cause: error });
  }
}
