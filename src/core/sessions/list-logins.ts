import type { AuthContext } from '../context.js';
import type { LoginActor, LoginMethod, Page } from '../ports.js';
import { DEFAULT_GROUP } from '../context.js';

/** One login attempt as the account's owner sees it. */
export interface LoginResource {
  id: string;
  /** ISO time of the attempt. */
  time: string;
  ip: string | null;
  userAgent: string | null;
  success: boolean;
  method: LoginMethod;
  /** Why it failed (`invalid_credentials`, `rate_limited`, `account_locked` …); null for a success. */
  failureReason: string | null;
  /**
   * Only on `method: 'support'` entries: the administrator who signed in as the account, and their
   * address. Other entries have no `actor` field, exactly api.md's item shape.
   */
  actor?: LoginActor;
}

/** The `listLogins` operation of `Auth`: the one place its documentation lives. */
export const listLoginsOperation = {
  /**
   * The account's login history, newest first, failed attempts included, so that its owner can spot
   * someone guessing their password. Paginated: pass a page's `nextCursor` to get the next one.
   *
   * @throws AuthError `validation_failed` for a malformed cursor or a `limit` that is not a positive integer
   * @example
   * ```ts
   * const { data, nextCursor } = await auth.listLogins({ group, accountId: claims.sub, limit: 20 })
   * ```
   */
  listLogins,
};

/** See {@link listLoginsOperation}. */
export async function listLogins(
  ctx: AuthContext,
  input: { group?: string | undefined; accountId: string; limit?: number; cursor?: string | null },
): Promise<Page<LoginResource>> {
  const { group = DEFAULT_GROUP, accountId, limit = 20, cursor = null } = input;
  const page = await ctx.storage.loginAttempts.listByAccount(group, accountId, { limit, cursor });
  return {
    data: page.data.map((attempt) => ({
      id: attempt.id,
      time: attempt.time.toISOString(),
      ip: attempt.ip,
      userAgent: attempt.userAgent,
      success: attempt.success,
      method: attempt.method,
      failureReason: attempt.failureReason,
      ...(attempt.actor ? { actor: { id: attempt.actor.id, ip: attempt.actor.ip } } : {}),
    })),
    nextCursor: page.nextCursor,
  };
}
