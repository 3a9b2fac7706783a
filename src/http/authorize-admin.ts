import { AuthError } from '../core/errors.js';
import type { AccountResource } from '../core/internal/accounts/account-resource.js';
import type { AccessTokenClaims } from '../core/internal/tokens/access-token.js';

/** The role that administers its group (api.md, "Administration"). */
export const ADMIN_ROLE = 'admin';

/**
 * Refuses a caller that is not an administrator of the group: checked on every request against the
 * stored account, as `handleRoute` read it with the token's session, so a role taken away takes effect
 * at once, whatever the token says. A support session's token (`act`) never administers anything, even
 * for an admin's account.
 *
 * @throws AuthError `forbidden`
 */
export function authorizeAdmin(claims: AccessTokenClaims, account: AccountResource | null): void {
  const acting = (claims as { act?: unknown }).act !== undefined;
  if (acting || !account || account.state.status !== 'active' || !account.roles.includes(ADMIN_ROLE)) {
    throw new AuthError('forbidden', 'This needs the admin role in this group.');
  }
}
