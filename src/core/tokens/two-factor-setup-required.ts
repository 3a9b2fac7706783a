import type { AuthContext } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { groupPolicy } from '../internal/groups/group-policy.js';
import { tokenHeldForTwoFactorSetup } from '../internal/groups/two-factor-setup.js';
import type { AccessTokenClaims } from '../internal/tokens/access-token.js';

/** What `auth.twoFactorSetupRequired` takes: the claims of a token already verified in `group`. */
export interface TwoFactorSetupRequiredInput {
  /** The token's group (default `default`). */
  group?: string | undefined;
  /** From `auth.verifyAccessToken`. */
  claims: Pick<AccessTokenClaims, 'sub' | 'grp' | 'amr' | 'act'>;
}

/** The `twoFactorSetupRequired` operation of `Auth`: the one place its documentation lives. */
export const twoFactorSetupRequiredOperation = {
  /**
   * Whether a verified token is held to the two-factor setup routes: its group's settings have
   * `requireTwoFactor`, its session was opened without a second factor (no `mfa` in `amr`), and the
   * account has no TOTP, email or SMS codes enabled yet. latchkey's routes then answer 403
   * `two_factor_setup_required` everywhere but the setup routes, and `requireAuth` refuses the token
   * the same way; an app that checks tokens itself with `verifyAccessToken` calls this too. The group's
   * policy comes from a 5-second cache, and the account is read only when the answer depends on it.
   *
   * @throws AuthError `not_found` (unknown group)
   * @example
   * ```ts
   * const claims = await auth.verifyAccessToken(bearer, { group })
   * if (await auth.twoFactorSetupRequired({ group, claims })) redirect('/settings/two-factor')
   * ```
   */
  twoFactorSetupRequired,
};

/** See {@link twoFactorSetupRequiredOperation}. */
export async function twoFactorSetupRequired(ctx: AuthContext, input: TwoFactorSetupRequiredInput): Promise<boolean> {
  const group = input.group ?? DEFAULT_GROUP;
  if (input.claims.grp !== group) return false;
  return tokenHeldForTwoFactorSetup(ctx, await groupPolicy(ctx, group), input.claims);
}
