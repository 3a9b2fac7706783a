import type { AuthContext } from '../../context.js';
import { hashToken } from '../../lib/token-hash.js';
import { revokeSessionRecord } from './revoke.js';

/**
 * Ends the session a refresh token belongs to (current or already rotated). An unknown token, or one
 * of another group, is ignored: ending a session is idempotent and says nothing about the token.
 */
export async function endSessionOfRefreshToken(ctx: AuthContext, group: string, refreshToken: string): Promise<void> {
  const token = await ctx.storage.refreshTokens.findByHash(hashToken(refreshToken));
  if (!token || token.group !== group) return;
  const session = await ctx.storage.sessions.findById(group, token.sessionId);
  if (session) await revokeSessionRecord(ctx, session, 'logout');
}
