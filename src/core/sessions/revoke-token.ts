import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { isAuthError } from '../errors.js';
import { checkAccessToken } from '../internal/tokens/check-access-token.js';
import { endSessionOfRefreshToken } from '../internal/sessions/end-session-of-refresh-token.js';
import { revokeSessionRecord } from '../internal/sessions/revoke.js';
import { admitClient } from '../limits/client-limit.js';

/** What `auth.revokeToken` takes (RFC 7009): a refresh or access token whose session should end. */
export interface RevokeTokenInput extends RequestInfo {
  /** The token's group (default `default`). */
  group?: string;
  token: string;
  /** `refresh_token` or `access_token`; a hint only, since the token's form tells them apart. */
  tokenTypeHint?: string;
}

/** The `revokeToken` operation of `Auth`: the one place its documentation lives. */
export const revokeTokenOperation = {
  /**
   * RFC 7009 revocation. A refresh token ends its session; a valid access token ends its session too,
   * since latchkey access tokens are only as alive as their session. Invalid or unknown tokens are
   * ignored, as the RFC requires: the caller always gets success.
   *
   * @example
   * ```ts
   * await auth.revokeToken({ token, tokenTypeHint: 'refresh_token' })
   * ```
   */
  revokeToken,
};

/** See {@link revokeTokenOperation}. */
export async function revokeToken(ctx: AuthContext, input: RevokeTokenInput): Promise<void> {
  const group = input.group ?? DEFAULT_GROUP;
  await admitClient(ctx, 'request', input.ip);
  const looksLikeJwt = input.token.split('.').length === 3;
  if (!looksLikeJwt) return endSessionOfRefreshToken(ctx, group, input.token);
  try {
    const claims = await checkAccessToken(ctx, input.token, { group, checkRevocation: false });
    const session = await ctx.storage.sessions.findById(group, claims.sid);
    if (session) await revokeSessionRecord(ctx, session, 'token_revoked');
  } catch (error) {
    if (!isAuthError(error, 'unauthenticated')) throw error;
  }
}
