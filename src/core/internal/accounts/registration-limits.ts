import type { RateLimitRule } from '../../ports.js';

/**
 * Self-registrations per IP address: 30 per hour. Each one costs a password hash and sends a mail (a
 * verification link, or a notice to the owner of an existing address), so an unthrottled sign-up form
 * is a CPU sink and a mail cannon. Refused with `rate_limited`, the same for new and existing emails.
 */
export const REGISTRATION_PER_IP: Readonly<RateLimitRule> = Object.freeze({
  name: 'registration-ip',
  points: 30,
  durationSeconds: 60 * 60,
});

/**
 * `registration-attempt` notices per (group, email): 3 per hour. Beyond that the notice is skipped in
 * silence; the registration itself answers 201 exactly as before, so the limit reveals nothing about
 * whether the address has an account.
 */
export const REGISTRATION_NOTICE_PER_EMAIL: Readonly<RateLimitRule> = Object.freeze({
  name: 'registration-notice',
  points: 3,
  durationSeconds: 60 * 60,
});

/** Verification mails the signed-in owner may ask for (`sendVerificationEmail`): 5 per hour per account. */
export const VERIFICATION_MAIL_PER_ACCOUNT: Readonly<RateLimitRule> = Object.freeze({
  name: 'verification-mail',
  points: 5,
  durationSeconds: 60 * 60,
});
