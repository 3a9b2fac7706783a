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
  /** The caller's session (the access token's `sid`): a recent sign-in is itself the proof. */
  sessionId?: string | null | undefined;
}

/**
 * How long after signing in a session may add a factor without another proof ("sudo mode"): the
 * sign-in itself was the proof, with every factor the account had. Setting up an authenticator right
 * after signing in, as api.md's routes expect, needs nothing more; a token stolen from an older
 * session cannot plant a factor.
 */
export const RECENT_SIGN_IN_SECONDS = 600;

/**
 * Whether this change must be proven: always when the caller offers a proof (a wrong one is never
 * ignored), otherwise unless the caller's session was opened in the last {@link RECENT_SIGN_IN_SECONDS}.
 */
export async function factorChangeNeedsProof(
  ctx: AuthContext,
  account: AccountRecord,
  proof: FactorChangeProof,
): Promise<boolean> {
  if (proof.otp?.trim() || proof.password) return true;
  if (!proof.sessionId) return true;
  const session = await ctx.storage.sessions.findById(account.group, proof.sessionId);
  if (!session || session.accountId !== account.id || session.revokedAt) return true;
  return ctx.clock.now().getTime() - session.createdAt.getTime() > RECENT_SIGN_IN_SECONDS * 1000;
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
