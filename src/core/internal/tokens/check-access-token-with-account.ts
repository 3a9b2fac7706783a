import type { AuthContext } from '../../context.js';
import { DEFAULT_GROUP } from '../../context.js';
import type { AccountRecord } from '../../ports.js';
import type { AccessTokenClaims } from './access-token.js';
import { refuseDeadSession, verifyAccessTokenJwt, type VerifyAccessTokenOptions } from './check-access-token.js';

/** A verified access token and its account as stored: null when the account is gone. */
export interface CheckedAccessToken {
  claims: AccessTokenClaims;
  account: AccountRecord | null;
}

/**
 * `checkAccessToken` that also loads the token's account, in one storage read: with the revocation
 * check, the session and its account come back together (`sessions.findWithAccount`) and the session
 * is checked exactly as `checkAccessToken` checks it; without it, only the account is read. The
 * account's status is the caller's to judge.
 *
 * @throws AuthError `unauthenticated`
 */
export async function checkAccessTokenWithAccount(
  ctx: AuthContext,
  token: string,
  options: VerifyAccessTokenOptions = {},
): Promise<CheckedAccessToken> {
  const group = options.group ?? DEFAULT_GROUP;
  const claims = await verifyAccessTokenJwt(ctx, token, group);
  if (!(options.checkRevocation ?? true)) {
    return { claims, account: await ctx.storage.accounts.findById(group, claims.sub) };
  }
  const found = await ctx.storage.sessions.findWithAccount(group, claims.sid);
  await refuseDeadSession(ctx, group, claims, found?.session ?? null);
  // The session is the token's account's (checked above), so the joined account is that account.
  return { claims, account: found?.account ?? null };
}
