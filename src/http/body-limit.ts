import { matchRoute } from './match.js';
import type { Route } from './route.js';

/**
 * The body limit of a route: the mount's `bodyLimit`, or the route's own when that is larger.
 *
 * @example
 * ```ts
 * bodyLimitOf(route, 64 * 1024) // 2 MiB for POST /accounts/import, 64 KiB elsewhere
 * ```
 */
export function bodyLimitOf(route: Route | undefined, mountLimit: number): number {
  return Math.max(mountLimit, route?.bodyLimit ?? 0);
}

/**
 * The body limit of the route a request goes to, for adapters that read the body before routing (the
 * fetch handler); the mount's limit when no route matches.
 *
 * @example
 * ```ts
 * const limit = bodyLimitFor('POST', '/accounts/import', false, 64 * 1024)
 * ```
 */
export function bodyLimitFor(method: string, path: string, groups: boolean, mountLimit: number): number {
  try {
    return bodyLimitOf(matchRoute(method, path, groups).route, mountLimit);
  } catch {
    return mountLimit;
  }
}
