import type { Auth } from '../core/create-auth.js';
import { DEFAULT_GROUP } from '../core/context.js';
import { AuthError } from '../core/errors.js';
import { PASSKEYS_NOT_ENABLED } from '../core/internal/webauthn/config.js';
import { authenticate } from './authenticate.js';
import { authorizeAdmin } from './authorize-admin.js';
import { readBody, readQuery } from './read-body.js';
import { refuseSupportToken } from './support-token.js';
import { refuseUntilTwoFactorSetUp } from './two-factor-setup.js';
import { refuseOutsideRootGroup } from './root-routes.js';
import type { Route, RouteContext } from './route.js';
import { errorResponse, oauthErrorResponse, withSecurityHeaders } from './status.js';
import type { HttpRequest, HttpResponse } from './types.js';

const MAX_USER_AGENT = 512;

/**
 * Runs one route: group, authentication, body validation, handler, and the error mapping, done once
 * for every adapter. Never throws.
 */
export async function handleRoute(
  auth: Auth,
  route: Route,
  params: Record<string, string>,
  request: HttpRequest,
): Promise<HttpResponse> {
  try {
    const group = params.group ?? DEFAULT_GROUP;
    if (route.root === true && params.group === undefined) throw new AuthError('not_found', 'No such route.');
    // Without passkeys configured a passkey route is not there, as the OpenAPI document says: nothing
    // about it (its token, its body) is checked first.
    if (route.requires === 'webauthn' && auth.options.webauthn === undefined) throw new AuthError('not_found', PASSKEYS_NOT_ENABLED);
    if (params.group !== undefined) await auth.assertGroup(group);
    // One storage read: the token's session with its account, which the handler receives as it is
    // (whatever its status: each operation judges that) and the admin check reads.
    const authenticated = route.auth === 'none' ? null : await authenticate(auth, request.header('authorization'), { group });
    const claims = authenticated?.claims ?? (undefined as unknown as RouteContext<unknown>['claims']);
    const account = authenticated?.account ?? null;
    if (authenticated) {
      refuseSupportToken(route, claims);
      await refuseUntilTwoFactorSetUp(auth, route, group, claims);
    }
    if (route.root === true) refuseOutsideRootGroup(auth, group);
    if (route.auth === 'admin') authorizeAdmin(claims, account);
    const body = readBody(route, request);
    const query = readQuery(route, request);
    const client = { ip: request.ip, userAgent: request.header('user-agent')?.slice(0, MAX_USER_AGENT) ?? null };
    const otp = route.otp === true ? request.header('x-otp') : undefined;
    const result = await route.handler({ auth, group, body, query, params, request, client, claims, account, otp });
    return { status: result.status, headers: withSecurityHeaders(result.headers), body: result.body };
  } catch (error) {
    if (route.oauth !== true) return errorResponse(error, auth.logger);
    return oauthErrorResponse(error, auth.logger, { credentials: request.header('authorization') !== undefined });
  }
}
