import type { Route } from '../route.js';

/** What an OpenAPI document describes: one mount of the route table, and the options that change it. */
export interface OpenApiMount {
  /** Where the routes are mounted (`/auth`): the document's server. Empty at the root. */
  basePath: string;
  /** Multi-group mode: every path starts with the group (`/{group}/login`), and `/groups` is served. */
  groups: boolean;
  /** The app configures passkeys (the `webauthn` option), so the passkey routes are served. */
  webauthn: boolean;
}

/**
 * The routes a mount serves: the root group's routes (`/groups`) only in multi-group mode, the passkey
 * routes only with passkeys configured. The others answer 404 there, so the document leaves them out.
 *
 * @example
 * ```ts
 * servedRoutes(routes, { basePath: '/auth', groups: false, webauthn: false }) // no /groups, no passkeys
 * ```
 */
export function servedRoutes(routes: readonly Route[], mount: OpenApiMount): Route[] {
  return routes.filter((route) => (route.root !== true || mount.groups) && (route.requires !== 'webauthn' || mount.webauthn));
}
