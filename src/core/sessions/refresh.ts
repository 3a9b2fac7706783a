import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { randomToken } from '../lib/random.js';
import { hashToken } from '../lib/token-hash.js';
import type { RefreshTokenRecord } from '../ports.js';
import { type TokenResponse, tokenResponse } from '../internal/sessions/open-session.js';
import { inTransaction } from '../internal/transaction.js';
import { isSessionAlive } from '../internal/sessions/session-alive.js';
import { groupPolicy } from '../internal/groups/group-policy.js';
import { admitClient } from '../limits/client-limit.js';

/** What `auth.refresh` takes: the session's current refresh token, which the call uses up. */
export interface RefreshInput extends RequestInfo {
  /** The session's group (default `default`); a token of another group is unknown here. */
  group?: string;
  /** The refresh token of the latest token response; an earlier one counts as reuse. */
  refreshToken: string;
}

/** The `refresh` operation of `Auth`: the one place its documentation lives. */
export const refreshOperation = {
  /**
   * Exchanges a refresh token for new tokens. Every refresh token works once: the exchange is atomic, so of
   * many concurrent refreshes with one token exactly one succeeds. A token presented after it was
   * exchanged means it leaked (or a client raced): the whole session is revoked and the answer is
   * `refresh_token_reused`, unless the app set `refreshTokenReuseGrace` and the token was rotated within
   * it, which answers `refresh_token_stale` and revokes nothing.
   *
   * @throws AuthError `unauthenticated` (unknown token, ended session, inactive account),
   * `refresh_token_reused`, `refresh_token_stale`
   * @example
   * ```ts
   * const tokens = await auth.refresh({ refreshToken })
   * ```
   */
  refresh,
};

/** See {@link refreshOperation}. */
export async function refresh(ctx: AuthContext, input: RefreshInput): Promise<TokenResponse> {
  const group = input.group ?? DEFAULT_GROUP;
  await admitClient(ctx, 'refresh', input.ip);
  const hash = hashToken(input.refreshToken);
  const found = await ctx.storage.refreshTokens.findWithSession(hash);
  if (!found || found.token.group !== group) throw unknownToken();
  const { token, session, account } = found;
  if (token.rotatedAt) return refuseReuse(ctx, token, input);
  if (!session || session.accountId !== token.accountId) throw unknownToken();
  if (!account || account.status !== 'active') throw unknownToken();
  if (!isSessionAlive(ctx, session, await groupPolicy(ctx, group))) throw unknownToken();

  const now = ctx.clock.now();
  const next = randomToken(32);
  const successor: RefreshTokenRecord = { ...token, hash: hashToken(next), createdAt: now, rotatedAt: null };
  // Everything that may read storage (the group's policy, its signing key) is done before the rotation
  // commits, and the rotation and the session's last use commit together: once the old token is spent,
  // nothing can fail and leave the client holding only a spent token, which its retry would have to
  // present as reuse. A refresh that loses the race below has signed a token nobody receives.
  const response = await tokenResponse(ctx, account, { ...session, lastUsedAt: now }, next);
  // The exchange sees a revocation that committed after the read above (a sign-out everywhere racing
  // this refresh): then nothing is rotated or issued.
  const outcome = await ctx.storage.refreshTokens.rotate(hash, successor, now);
  if (outcome === 'ended') throw unknownToken();
  // Lost the race to a concurrent refresh with the same token: that is reuse too.
  if (outcome === 'spent') return refuseReuse(ctx, { ...token, rotatedAt: now }, input);
  return response;
}

async function refuseReuse(ctx: AuthContext, token: RefreshTokenRecord, request: RequestInfo): Promise<never> {
  const grace = ctx.options.refreshTokenReuseGrace * 1000;
  if (grace > 0 && ctx.clock.now().getTime() - token.rotatedAt!.getTime() <= grace) {
    throw new AuthError('refresh_token_stale', 'This refresh token was just used; use the newest one.');
  }
  const session = await ctx.storage.sessions.findById(token.group, token.sessionId);
  if (session && !session.revokedAt) {
    const { group, accountId, sessionId } = token;
    const reason = 'refresh_token_reused';
    // The revocation and both of its events are stored together; a concurrent reuse finds it done.
    const revoked = await inTransaction(ctx, async (tx) => {
      if (!(await tx.storage.sessions.revoke(group, sessionId, tx.clock.now(), reason))) return false;
      await emit(tx, 'session.revoked', group, { accountId, sessionIds: [sessionId], reason });
      await emit(tx, 'session.refresh-reused', group, { accountId, sessionId, ip: request.ip ?? null });
      return true;
    });
    if (revoked) ctx.logger.warn('refresh token reuse: session revoked', { group, sessionId });
  }
  throw new AuthError('refresh_token_reused', 'This refresh token was already used; the session has been ended.');
}

function unknownToken(): AuthError {
  return new AuthError('unauthenticated', 'The refresh token is invalid or its session has ended.');
}
