import type { Auth } from '../core/create-auth.js';
import { handleRoute } from './handle-route.js';
import { matchRoute } from './match.js';
import { errorResponse } from './status.js';
import type { HttpOptions, HttpRequest, HttpResponse } from './types.js';

/** Matches a request against the route table and runs it. Never throws. */
export async function dispatch(auth: Auth, request: HttpRequest, options: HttpOptions = {}): Promise<HttpResponse> {
  let match;
  try {
    match = matchRoute(request.method, request.path, options.groups ?? false);
  } catch (error) {
    return errorResponse(error, auth.logger);
  }
  return handleRoute(auth, match.route, match.params, request);
}
