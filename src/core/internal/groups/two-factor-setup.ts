import type { AuthContext } from '../../context.js';
import type { AccountRecord } from '../../ports.js';
import { twoFactorMethods } from '../accounts/account-resource.js';
import type { GroupPolicy } from './group-policy.js';

/**
 * Whether a session of `account` is held to the two-factor setup routes: its group's policy has
 * `requireTwoFactor`, the session was not opened with two factors (`mfa` not in its `amr`), and the
 * account has no second factor that password sign-in asks for (TOTP, email or SMS codes). A passkey
 * alone does not count: password sign-in never asks for it, so it would leave the password as the only
 * proof; a sign-in with a user-verified passkey is two factors (`mfa`) and is never held.
 */
export function holdsForTwoFactorSetup(policy: GroupPolicy, amr: readonly string[], account: AccountRecord): boolean {
  return policy.requireTwoFactor && !amr.includes('mfa') && twoFactorMethods(account).length === 0;
}

/**
 * {@link holdsForTwoFactorSetup} for a verified token, reading the account only when it can matter:
 * never in a group without `requireTwoFactor`, nor for a session opened with two factors, nor for a
 * support session's token (`act`, which has its own allowlist). An account that is gone is not held
 * here: the route's own checks refuse it.
 */
export async function tokenHeldForTwoFactorSetup(
  ctx: AuthContext,
  policy: GroupPolicy,
  claims: { sub: string; grp: string; amr: readonly string[]; act?: unknown },
): Promise<boolean> {
  if (!policy.requireTwoFactor || claims.amr.includes('mfa') || claims.act !== undefined) return false;
  const account = await ctx.storage.accounts.findById(claims.grp, claims.sub);
  return account !== null && holdsForTwoFactorSetup(policy, claims.amr, account);
}
