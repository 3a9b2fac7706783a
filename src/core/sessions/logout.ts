import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { hashToken } from '../lib/token-hash.js';
import { revokeSessionRecord } from './revoke.js';
import { admitClient } from '../limits/client-limit.js';

/** The `logout` operation of `Auth`: the one place its documentation lives. */
export const logoutOperation = {
  /**
   * Ends the session a refresh token belongs to (current or already rotated). Unknown tokens are ignored:
   * logging out is idempotent and says nothing about the token.
   *
   * @example
   * ```ts
   * await auth.logout({ refreshToken })
   * ```
   */
  logout,
};

/** See {@link logoutOperation}. */
export async function logout(
  ctx: AuthContext,
  input: RequestInfo & { group?: string; refreshToken: string },
): Promise<void> {
  const group = input.group ?? DEFAULT_GROUP;
  await admitClient(ctx, 'request', input.ip);
  const token = await ctx.storage.refreshTokens.findByHash(hashToken(input.refreshToken));
  if (!token || token.group !== group) return;
  const session = await ctx.storage.sessions.findById(group, token.sessionId);
  if (session) await revokeSessionRecord(ctx, session, 'logout');
}
