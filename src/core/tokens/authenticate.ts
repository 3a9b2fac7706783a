import type { AuthContext } from '../context.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import type { AccessTokenClaims } from '../internal/tokens/access-token.js';
import { checkAccessTokenWithAccount } from '../internal/tokens/check-access-token-with-account.js';
import type { VerifyAccessTokenOptions } from '../internal/tokens/check-access-token.js';

/** What `auth.authenticate` takes: an access token, checked as `auth.verifyAccessToken` checks it. */
export interface AuthenticateInput extends VerifyAccessTokenOptions {
  /** The access token (what follows `Bearer ` in an `Authorization` header). */
  token: string;
}

/** What `auth.authenticate` answers: the verified token and its account. */
export interface AuthenticateResult {
  /** The token's claims. */
  claims: AccessTokenClaims;
  /** The token's account whatever its status (locked and deleted included), or null when it is gone. */
  account: AccountResource | null;
}

/** The `authenticate` operation of `Auth`: the one place its documentation lives. */
export const authenticateOperation = {
  /**
   * Verifies an access token exactly as `verifyAccessToken` does and loads its account, in one storage
   * read: by default the session and its account are read together (one query on SQL storage) and a
   * revoked or ended session is refused; with `checkRevocation: false` only the account is read. The
   * account comes back whatever its status, or null when it is gone: whether a locked or deleted
   * account may go on is the caller's decision (`requireAuth` refuses both).
   *
   * @throws AuthError `unauthenticated` for anything wrong with the token or its session, with no detail of what
   * @example
   * ```ts
   * const { claims, account } = await auth.authenticate({ token: bearer })
   * if (account?.state.status !== 'active') return unauthorized()
   * ```
   */
  authenticate,
};

/** See {@link authenticateOperation}. */
export async function authenticate(ctx: AuthContext, input: AuthenticateInput): Promise<AuthenticateResult> {
  const { token, ...options } = input;
  const { claims, account } = await checkAccessTokenWithAccount(ctx, token, options);
  return { claims, account: account ? toAccountResource(account) : null };
}
