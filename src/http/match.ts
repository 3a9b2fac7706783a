import { AuthError } from '../core/errors.js';
import { GROUP_ID_PATTERN } from '../core/internal/groups/require-group.js';
import type { Route } from './route.js';
import { routes } from './routes.js';
import { MethodNotAllowedError } from './method-not-allowed.js';

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

const compiled = routes.map((route) => ({
  route,
  pattern: new RegExp(
    '^' + route.path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_, name: string) => `(?<${name}>[^/]+)`) + '/?$',
  ),
}));

/**
 * Finds the route for a method and path (below the mount point). In multi-group mode the first segment
 * is the group and lands in `params.group`.
 *
 * @throws AuthError `not_found` (no such path or group id), `method_not_allowed` (path exists, method does not)
 */
export function matchRoute(method: string, path: string, groups: boolean): RouteMatch {
  let rest = path;
  const params: Record<string, string> = {};
  if (groups) {
    const [, group = '', ...tail] = path.split('/');
    if (!GROUP_ID_PATTERN.test(group)) throw notFound();
    params.group = group;
    rest = '/' + tail.join('/');
  }
  const candidates = compiled.flatMap(({ route, pattern }) => {
    const m = pattern.exec(rest);
    return m ? [{ route, params: { ...params, ...decodeParams(m.groups) } }] : [];
  });
  if (candidates.length === 0) throw notFound();
  const wanted = method === 'HEAD' ? 'GET' : method;
  const hit = candidates.find((c) => c.route.method === wanted);
  if (hit) return hit;
  const allow = [...new Set(candidates.map((c) => c.route.method))].join(', ');
  throw new MethodNotAllowedError(allow);
}

/** Decoded path parameters; a malformed %-escape or a decoded NUL (`%00`) names no resource: `not_found`. */
function decodeParams(groups: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(groups ?? {})) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      throw notFound();
    }
    if (decoded.includes('\u0000')) throw notFound();
    out[key] = decoded;
  }
  return out;
}

function notFound(): AuthError {
  return new AuthError('not_found', 'No such route.');
}
