import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { endSessionOfRefreshToken } from '../internal/sessions/end-session-of-refresh-token.js';
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
  await admitClient(ctx, 'request', input.ip);
  await endSessionOfRefreshToken(ctx, input.group ?? DEFAULT_GROUP, input.refreshToken);
}
