import { twoFactorMethods } from '../accounts/account-resource.js';
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { assertChannelStepUp } from '../otp/otp-account.js';
import type { AccountRecord } from '../ports.js';
import { assertStepUp } from './step-up.js';

/** What a caller presents before it adds or replaces a way to prove who it is. */
export interface FactorChangeProof {
  /**
   * With a second factor enabled (HTTP: the `x-otp` header): a current TOTP, an unused recovery code, or
   * a code `sendChannelCode` sent to a channel that was enabled *before* this request.
   */
  otp?: string | null | undefined;
  /** Without a second factor: the account's password. Refused as a proof once a second factor is on. */
  password?: string | null | undefined;
  /** The caller's address: wrong passwords count against it like failed logins. */
  ip?: string | null | undefined;
}

/**
 * Whether `account` proves itself with a second factor (`otp`) or, having none, with its password.
 * Judged on the account as it was read *before* the change, so a factor being enabled by this request
 * never vouches for itself.
 */
export function factorChangeProofKind(account: AccountRecord): 'otp' | 'password' {
  return twoFactorMethods(account).length > 0 ? 'otp' : 'password';
}

/**
 * Refuses, before any code is looked at, a request that carries no proof of the kind the account owes
 * (so a caller without one learns nothing and spends nothing).
 *
 * @throws AuthError `validation_failed` (detail `x-otp` or `password`)
 */
export function requireFactorChangeProof(account: AccountRecord, proof: FactorChangeProof): void {
  if (factorChangeProofKind(account) === 'otp') {
    if (proof.otp?.trim()) return;
    throw new AuthError(
      'validation_failed',
      'An x-otp header (a current authenticator code or a recovery code) is required.',
      { details: [{ path: 'x-otp', message: 'is required' }] },
    );
  }
  if (proof.password) return;
  throw new AuthError('validation_failed', 'The password is required.', {
    details: [{ path: 'password', message: 'is required' }],
  });
}

/**
 * The fresh proof every change that adds or replaces a way to sign in needs on top of the access token
 * (which may be stolen): confirming an authenticator, enabling an email/SMS channel, regenerating
 * recovery codes. An account with a second factor proves it with `otp` (see {@link assertChannelStepUp}:
 * TOTP, recovery code, or a code of an already enabled channel; the password is not enough, since
 * whoever holds it could otherwise plant their own factor); an account without one proves it with its
 * password (throttled like a login). Codes are used up; wrong ones count against the throttles.
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
    await assertChannelStepUp(ctx, account, proof.otp ?? undefined);
    return;
  }
  await assertStepUp(ctx, account, { password: proof.password, allowPassword: true, ip: proof.ip });
}
