import type { Auth } from '../core/auth.js';
import { AuthError } from '../core/errors.js';
import type { AccessTokenClaims } from '../core/internal/tokens/access-token.js';

/** The role that administers its group (api.md, "Administration"). */
export const ADMIN_ROLE = 'admin';

/**
 * Refuses a caller that is not an administrator of the group: checked on every request against the
 * stored account, so a role taken away takes effect at once, whatever the token says. A support
 * session's token (`act`) never administers anything, even for an admin's account.
 *
 * @throws AuthError `forbidden`
 */
export async function authorizeAdmin(auth: Auth, group: string, claims: AccessTokenClaims): Promise<void> {
  const acting = (claims as { act?: unknown }).act !== undefined;
  const account = acting ? null : await auth.getAccount({ group, accountId: claims.sub }).catch(() => null);
  if (!account || account.state.status !== 'active' || !account.roles.includes(ADMIN_ROLE)) {
    throw new AuthError('forbidden', 'This needs the admin role in this group.');
  }
}
