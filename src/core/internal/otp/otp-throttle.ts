import type { AuthContext } from '../../context.js';
import type { AuthError } from '../../errors.js';
import { clientKeyOf } from '../../limits/client-limit.js';
import { enforce, rateLimited } from '../../limits/enforce.js';
import type { AccountRecord, OtpChannel, OtpPurpose, RateLimitRule } from '../../ports.js';
import { OTP_MAX_ATTEMPTS } from './otp-code.js';

const TOO_MANY_CODES = 'Too many codes were requested. Try again later.';

/**
 * Codes sent per account and channel: 5 per 15 minutes, whatever their purpose (every text costs money
 * and lands on one person's phone).
 */
export const OTP_SEND_PER_ACCOUNT: Readonly<RateLimitRule> = Object.freeze({
  name: 'otp-send-account',
  points: 5,
  durationSeconds: 15 * 60,
});

/** Codes sent per IP address, to any account: 20 per 15 minutes (SMS pumping). */
export const OTP_SEND_PER_IP: Readonly<RateLimitRule> = Object.freeze({
  name: 'otp-send-ip',
  points: 20,
  durationSeconds: 15 * 60,
});

/** A send that was counted; give it back when nothing went out. */
export interface OtpSendPermit {
  refund(): Promise<void>;
}

/**
 * Lets one code be sent, or refuses. Refused, without counting, while the live code of that channel and
 * purpose has used up its attempts (a new code would inherit them: see `OtpCodeRepository.issue`), then
 * counted against the IP address and the account's channel. A send the account counter refuses gives
 * the IP its hit back.
 *
 * @throws AuthError `rate_limited` with `retryAfter` (seconds)
 * @example
 * ```ts
 * const permit = await admitOtpSend(ctx, account, 'sms', 'verify', request.ip)
 * try { await deliver() } catch (error) { await permit.refund(); throw error }
 * ```
 */
export async function admitOtpSend(
  ctx: AuthContext,
  account: AccountRecord,
  channel: OtpChannel,
  purpose: OtpPurpose,
  ip: string | null | undefined,
): Promise<OtpSendPermit> {
  await assertNotExhausted(ctx, account, channel, purpose);
  const perAccount: [RateLimitRule, string] = [OTP_SEND_PER_ACCOUNT, `${account.group}:${account.id}:${channel}`];
  const client = clientKeyOf(ctx, ip);
  const perIp: [RateLimitRule, string] | null = client ? [OTP_SEND_PER_IP, client] : null;
  if (perIp) enforce(await ctx.rateLimiter.hit(...perIp), TOO_MANY_CODES);
  const decision = await ctx.rateLimiter.hit(...perAccount);
  if (!decision.allowed && perIp) await ctx.rateLimiter.refund(...perIp);
  enforce(decision, TOO_MANY_CODES);
  return {
    async refund() {
      await ctx.rateLimiter.refund(...perAccount);
      if (perIp) await ctx.rateLimiter.refund(...perIp);
    },
  };
}

/**
 * Throws `rate_limited` when the live code of that key has no attempt left, with `retryAfter` the
 * seconds until it expires (after that a new code starts a new count).
 *
 * @throws AuthError `rate_limited`
 */
export async function assertNotExhausted(
  ctx: AuthContext,
  account: AccountRecord,
  channel: OtpChannel,
  purpose: OtpPurpose,
): Promise<void> {
  const live = await ctx.storage.otpCodes.find(account.group, account.id, channel, purpose);
  const now = ctx.clock.now();
  if (!live || live.consumedAt !== null || live.expiresAt <= now || live.attempts < OTP_MAX_ATTEMPTS) return;
  throw exhaustedError(live.expiresAt, now);
}

/** The error for a code that has no attempt left: retry once it has expired. */
export function exhaustedError(expiresAt: Date, now: Date): AuthError {
  return rateLimited((expiresAt.getTime() - now.getTime()) / 1000, 'Too many wrong codes. Request a new code later.');
}

