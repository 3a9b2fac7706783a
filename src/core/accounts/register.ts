import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError, isAuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { inTransaction } from '../internal/transaction.js';
import { freshGroupPolicy } from '../internal/groups/group-policy.js';
import { newId } from '../lib/ids.js';
import { clientKeyOf } from '../limits/client-limit.js';
import { enforce } from '../limits/enforce.js';
import { sendMailInBackground } from '../mail/send-mail.js';
import type { AccountRecord } from '../ports.js';
import { type AccountResource, NO_SECOND_FACTOR, toAccountResource } from '../internal/accounts/account-resource.js';
import { assertNoNul, normalizeEmail, normalizePassword } from '../internal/accounts/normalize.js';
import { checkPasswordPolicy } from '../internal/accounts/password-policy.js';
import { screenPassword } from '../internal/accounts/screen-password.js';
import { REGISTRATION_NOTICE_PER_EMAIL, REGISTRATION_PER_IP } from '../internal/accounts/registration-limits.js';
import { mailVerificationInBackground } from '../internal/accounts/verification-mail.js';

/**
 * What `auth.register` takes: the new account's email, password and name, and the caller's address,
 * by which registrations are counted (30 an hour).
 */
export interface RegisterInput extends RequestInfo {
  /**
   * The group to join (default `default`): it must exist, not be locked, and not have
   * `allowRegistration: false` in its settings.
   */
  group?: string;
  /** Stored normalised (trimmed, NFKC, lower-cased), so case and spacing never make a second account. */
  email: string;
  /**
   * Counted in Unicode code points after NFKC, within the `password.minLength` / `maxLength` options
   * (or the group's `passwordMinLength`, when it asks for more); it must not contain the email's local part,
   * and every `passwordPolicy` must accept it (by default: not one of the 10,000 most common passwords).
   */
  password: string;
  name?: { first?: string | null; last?: string | null };
}

/** The `register` operation of `Auth`: the one place its documentation lives. */
export const registerOperation = {
  /**
   * Self-registration. An email that already has an account answers exactly like a new one (same shape,
   * same work, a fresh id that leads nowhere), so sign-up cannot be used to find out who has an account.
   * A new account is mailed a verification token; the owner of an existing (not deleted) account is
   * mailed a `registration-attempt` notice instead. Both mails go out in the background, after the
   * answer, so neither path waits for a mailer; a failed mail is logged, never thrown.
   *
   * Throttled against mail flooding (see `registration-limits.ts`): 30 registrations per hour per IP
   * address (`rate_limited`, new and existing emails alike), and at most 3 `registration-attempt` notices
   * per hour per address; beyond that the notice is skipped and the answer is still the same 201.
   *
   * The group is read from storage on every call (not from the 5-second group cache), so a group that an
   * administrator closed or removed on another instance takes no account a moment later.
   *
   * @throws AuthError `validation_failed` (email, password length, a `passwordPolicy` refusal such as a
   * common or breached password), `registration_closed` (locked group,
   * or `allowRegistration: false` in its settings),
   * `not_found` (unknown group), `rate_limited` (with `retryAfter`)
   * @example
   * ```ts
   * const account = await auth.register({ email: 'ada@example.com', password: 'correct horse battery' })
   * ```
   */
  register,
};

/** See {@link registerOperation}. */
export async function register(ctx: AuthContext, input: RegisterInput): Promise<AccountResource> {
  const { group, policy } = await freshGroupPolicy(ctx, input.group ?? DEFAULT_GROUP);
  if (!policy.registrationOpen) throw new AuthError('registration_closed', 'Registration is closed for this group.');
  const email = normalizeEmail(input.email);
  assertNoNul(input.name?.first, 'name.first');
  assertNoNul(input.name?.last, 'name.last');
  const password = normalizePassword(input.password);
  checkPasswordPolicy(password, email, policy.password);
  const client = clientKeyOf(ctx, input.ip);
  if (client) enforce(await ctx.rateLimiter.hit(REGISTRATION_PER_IP, client), 'Too many registrations from this address. Try again later.');
  // After the throttle: a policy may ask a breach service, which anonymous callers must not drive at will.
  await screenPassword(ctx, password, { operation: 'register', group: group.id, email });

  const passwordHash = await ctx.hasher.hash(password);
  const now = ctx.clock.now();
  const account: AccountRecord = {
    id: newId('acc', now),
    group: group.id,
    email,
    emailVerifiedAt: null,
    emailAddedAt: now,
    firstName: input.name?.first ?? null,
    lastName: input.name?.last ?? null,
    passwordHash,
    roles: [],
    allowSupportLogin: false,
    status: 'active',
    statusChangedAt: now,
    statusReason: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    lastLoginAt: null,
    lastLoginDevice: null,
    lastPasswordChangeAt: now,
    ...NO_SECOND_FACTOR,
  };
  const resource = toAccountResource(account);
  try {
    // The account and its `account.created` are stored together.
    await inTransaction(ctx, async (tx) => {
      await tx.storage.accounts.create(account);
      await emit(tx, 'account.created', group.id, { account: resource });
    });
  } catch (error) {
    if (!isAuthError(error, 'conflict')) throw error;
    ctx.logger.info('registration of an existing email answered without creating an account', { group: group.id });
    void notifyOwnerInBackground(ctx, group.id, email);
    return resource;
  }
  void mailVerificationInBackground(ctx, account);
  return resource;
}

/** Tells the owner of an existing account that someone tried to register their address. */
async function notifyOwnerInBackground(ctx: AuthContext, group: string, email: string): Promise<void> {
  try {
    const decision = await ctx.rateLimiter.hit(REGISTRATION_NOTICE_PER_EMAIL, `${group}:${email}`);
    if (!decision.allowed) {
      ctx.logger.info('registration-attempt notice skipped: too many for this address', { group });
      return;
    }
    const existing = await ctx.storage.accounts.findByEmail(group, email);
    if (!existing || existing.status === 'deleted') return;
    const account = toAccountResource(existing);
    await sendMailInBackground(ctx, { kind: 'registration-attempt', to: existing.email, account });
  } catch (error) {
    ctx.logger.error('could not notify the owner of a registration attempt', {
      group,
      error: error instanceof Error ? error.message.replaceAll(email, '[email]') : String(error),
    });
  }
}
