import type { Auth } from '../core/auth.js';
import { AuthError } from '../core/errors.js';

/**
 * Refuses a `root` route (`/groups`) outside the root group (the `rootGroup` option): only that
 * group's administrators manage the other groups. Checked before the admin role, so an administrator
 * of any other group is refused without a read.
 *
 * @throws AuthError `forbidden`
 * @example
 * ```ts
 * refuseOutsideRootGroup(auth, 'acme') // throws unless auth.options.rootGroup is 'acme'
 * ```
 */
export function refuseOutsideRootGroup(auth: Auth, group: string): void {
  if (group !== auth.options.rootGroup) {
    throw new AuthError('forbidden', 'Only administrators of the root group manage groups.');
  }
}
