import { twoFactorMethods } from '../accounts/account-resource.js';
import { normalizePassword } from '../accounts/normalize.js';
import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import type { AccountRecord } from '../../ports.js';
import { loginThrottle } from '../sessions/throttle.js';
import { verifyCurrentSecondFactor } from './current-second-factor.js';
import { secondFactorThrottle } from './throttle.js';

/** What a caller presents, on top of its access token, before it changes how the account signs in. */
export interface FactorChangeProof {
  /**
   * Once a second factor is on (HTTP: the `x-otp` header): a current TOTP, an unused recovery code, or
   * a code `sendChannelCode` sent to a channel that was enabled *before* this request.
   */
  otp?: string | null | undefined;
  /** While no second factor is on: the account's password. Never a proof once one is on. */
  password?: string | null | undefined;
  /** The caller's address: wrong proofs count against its throttles. */
  ip?: string | null | undefined;
}

/**
 * Which proof the account owes: `otp` once any second factor (TOTP, email or SMS codes) is on, else its
 * `password`. Judged on the account as it was read *before* the change, so a factor being enabled by
 * this request never vouches for itself.
 */
export function factorChangeProofKind(account: AccountRecord): 'otp' | 'password' {
  return twoFactorMethods(account).length > 0 ? 'otp' : 'password';
}

/**
 * Refuses, before anything is looked at, a request that carries no proof of the kind the account owes
 * (so a caller without one learns nothing and spends nothing). A password offered by an account that
 * owes a code is not a proof: the password alone is never a second factor.
 *
 * @throws AuthError `validation_failed` (detail `x-otp` or `password`)
 */
export function requireFactorChangeProof(account: AccountRecord, proof: FactorChangeProof): void {
  if (factorChangeProofKind(account) === 'otp') {
    if (proof.otp?.trim()) return;
    throw new AuthError(
      'validation_failed',
      'An x-otp header (a current second factor: an authenticator code, a code sent to you, or a recovery code) is required.',
      { details: [{ path: 'x-otp', message: 'is required' }] },
    );
  }
  if (proof.password) return;
  throw new AuthError('validation_failed', 'The password is required.', {
    details: [{ path: 'password', message: 'is required' }],
  });
}

/**
 * Refuses, without counting, a caller whose proof budget is spent: for flows that check something
 * else first (the code of the factor being set up), so that nothing at all is evaluated once the
 * throttle has said no.
 *
 * @throws AuthError `rate_limited` (with `retryAfter`)
 */
export async function refuseWhileThrottled(
  ctx: AuthContext,
  account: AccountRecord,
  proof: FactorChangeProof,
): Promise<void> {
  if (factorChangeProofKind(account) === 'otp') await secondFactorThrottle(ctx, account, proof.ip).check();
}

/**
 * The one check every change to how an account signs in goes through, on top of the access token
 * (which may be stolen, and may be minutes old): setting up or replacing an authenticator, enabling or
 * disabling an email/SMS channel, replacing an enabled phone, adding or removing a passkey,
 * regenerating recovery codes, deleting the account. A fresh sign-in is not a proof by itself.
 *
 * - Once a second factor is on: `otp`, a current second factor (see `verifyCurrentSecondFactor`;
 *   throttled first, used up). The password is refused as a proof: a phishing proxy captures exactly a
 *   password and a session.
 * - While none is on: the `password` (throttled like a login, per account and client).
 *
 * @throws AuthError `validation_failed` (no proof of the right kind), `invalid_two_factor` (wrong
 * `otp`), `invalid_credentials` (wrong password), `rate_limited` (with `retryAfter`)
 * @example
 * ```ts
 * await assertFactorChangeProof(ctx, account, { otp: input.otp, password: input.password, ip: input.ip })
 * ```
 */
export async function assertFactorChangeProof(
  ctx: AuthContext,
  account: AccountRecord,
  proof: FactorChangeProof,
): Promise<void> {
  requireFactorChangeProof(account, proof);
  if (factorChangeProofKind(account) === 'otp') {
    await verifyCurrentSecondFactor(ctx, account, proof.otp!, proof.ip);
    return;
  }
  const throttle = loginThrottle(ctx, account.group, account.email, proof.ip, account);
  await throttle.admit();
  // An account without a password still pays for one verification.
  const hash = account.passwordHash ?? (await ctx.dummyHash());
  const valid = await ctx.hasher.verify(hash, normalizePassword(proof.password!));
  if (!valid || !account.passwordHash) throw new AuthError('invalid_credentials', 'The password is incorrect.');
  await throttle.succeed();
}
