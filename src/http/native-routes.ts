import type { Auth } from '../core/create-auth.js';
import { AuthError } from '../core/errors.js';
import { GROUP_ID_PATTERN } from '../core/internal/groups/require-group.js';
import { handleRoute } from './handle-route.js';
import type { Route } from './route.js';
import { errorResponse } from './status.js';
import type { HttpRequest, HttpResponse } from './types.js';

/**
 * A route's path in Express/Fastify syntax: `{id}` becomes `:id`, and multi-group mode puts `/:group`
 * in front, as `matchRoute` does for the fetch handler.
 */
export function frameworkPath(route: Route, groups: boolean): string {
  return (groups ? '/:group' : '') + route.path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * Runs a route the framework's router matched, with the parameters it decoded. Checks the group id
 * like `matchRoute` does, so a malformed one is a 404 before any storage read, and refuses a parameter
 * that decoded to a NUL (`%00`) the same way. Never throws.
 */
export async function runMatchedRoute(
  auth: Auth,
  route: Route,
  params: Record<string, string>,
  request: HttpRequest,
): Promise<HttpResponse> {
  const badGroup = params.group !== undefined && !GROUP_ID_PATTERN.test(params.group);
  if (badGroup || Object.values(params).some((value) => value.includes('\u0000'))) {
    return errorResponse(new AuthError('not_found', 'No such route.'), auth.logger);
  }
  return handleRoute(auth, route, { ...params }, request);
}
