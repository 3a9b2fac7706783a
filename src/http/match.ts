import { AuthError } from '../core/errors.js';
import { GROUP_ID_PATTERN } from '../core/internal/groups/require-group.js';
import type { Route } from './route.js';
import { routes } from './routes.js';
import { MethodNotAllowedError } from './method-not-allowed.js';

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

interface CompiledRoute {
  route: Route;
  /** Its place in the route table: of two routes that match, the earlier wins. */
  order: number;
  pattern: RegExp;
}

const compiled: CompiledRoute[] = routes.map((route, order) => ({
  route,
  order,
  pattern: new RegExp(
    '^' + route.path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_, name: string) => `(?<${name}>[^/]+)`) + '/?$',
  ),
}));
// Looked up, not scanned: routes without parameters by their path, the others by their number of
// segments (a parameter matches exactly one), so a request tries a handful of patterns, not the table.
const isStatic = (entry: CompiledRoute) => !entry.route.path.includes('{');
const staticRoutes = groupBy(compiled.filter(isStatic), (entry) => entry.route.path);
const paramRoutes = groupBy(compiled.filter((entry) => !isStatic(entry)), (entry) => segments(entry.route.path));

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
  // Every pattern takes one optional trailing slash.
  const trimmed = rest.length > 1 && rest.endsWith('/') ? rest.slice(0, -1) : rest;
  const candidates: (RouteMatch & { order: number })[] = [];
  for (const { route, order } of staticRoutes.get(trimmed) ?? []) candidates.push({ route, order, params: { ...params } });
  for (const { route, order, pattern } of paramRoutes.get(segments(trimmed)) ?? []) {
    const m = pattern.exec(rest);
    if (m) candidates.push({ route, order, params: { ...params, ...decodeParams(m.groups) } });
  }
  if (candidates.length === 0) throw notFound();
  candidates.sort((a, b) => a.order - b.order);
  const wanted = method === 'HEAD' ? 'GET' : method;
  const hit = candidates.find((c) => c.route.method === wanted);
  if (hit) return { route: hit.route, params: hit.params };
  const allow = [...new Set(candidates.map((c) => c.route.method))].join(', ');
  throw new MethodNotAllowedError(allow);
}

function segments(path: string): number {
  return path.split('/').length;
}

function groupBy<K, V>(values: V[], key: (value: V) => K): Map<K, V[]> {
  const map = new Map<K, V[]>();
  for (const value of values) map.set(key(value), [...(map.get(key(value)) ?? []), value]);
  return map;
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
