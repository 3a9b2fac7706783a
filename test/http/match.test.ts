import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/core/errors.js';
import { matchRoute, type RouteMatch } from '../../src/http/match.js';
import { MethodNotAllowedError } from '../../src/http/method-not-allowed.js';
import { routes } from '../../src/http/routes.js';

/**
 * The route lookup against the plainest reading of the route table: every route's pattern tried in
 * table order, the first whose method fits winning. The lookup indexes the table; it must answer the
 * same for every path, including trailing slashes, encodings and paths a parameter route shares with a
 * fixed one (`/accounts/import` and `/accounts/{id}`).
 */
function scan(method: string, path: string, groups: boolean): RouteMatch {
  let rest = path;
  const params: Record<string, string> = {};
  if (groups) {
    const [, group = '', ...tail] = path.split('/');
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(group)) throw new AuthError('not_found', 'x');
    params.group = group;
    rest = '/' + tail.join('/');
  }
  const candidates = routes.flatMap((route) => {
    const pattern = new RegExp(
      '^' + route.path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_, name: string) => `(?<${name}>[^/]+)`) + '/?$',
    );
    const m = pattern.exec(rest);
    if (!m) return [];
    const decoded: Record<string, string> = {};
    for (const [key, value] of Object.entries(m.groups ?? {})) {
      try {
        decoded[key] = decodeURIComponent(value);
      } catch {
        throw new AuthError('not_found', 'x');
      }
      if (decoded[key]!.includes('\u0000')) throw new AuthError('not_found', 'x');
    }
    return [{ route, params: { ...params, ...decoded } }];
  });
  if (candidates.length === 0) throw new AuthError('not_found', 'x');
  const hit = candidates.find((c) => c.route.method === (method === 'HEAD' ? 'GET' : method));
  if (hit) return hit;
  throw new MethodNotAllowedError([...new Set(candidates.map((c) => c.route.method))].join(', '));
}

function outcome(match: () => RouteMatch): unknown {
  try {
    const { route, params } = match();
    return { method: route.method, path: route.path, params };
  } catch (error) {
    if (error instanceof MethodNotAllowedError) return { allow: error.allow };
    if (error instanceof AuthError) return { code: error.code };
    throw error;
  }
}

const samplePaths = (): string[] => {
  const paths = new Set<string>(['', '/', '//', '/nope', '/accounts//', '/accounts/%zz', '/accounts/a%00b', '/accounts/%41b']);
  for (const route of routes) {
    const filled = route.path.replace(/\{\w+\}/g, 'x_1');
    for (const path of [route.path, filled, `${filled}/`, `${filled}//`, `${filled}/extra`, filled.slice(0, -1), filled.toUpperCase()]) {
      paths.add(path);
    }
  }
  return [...paths];
};

describe('matchRoute', () => {
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

  it('answers as a scan of the whole table does, for every route and its near misses', () => {
    const paths = samplePaths();
    expect(paths.length).toBeGreaterThan(routes.length * 3);
    let compared = 0;
    for (const path of paths) {
      for (const method of methods) {
        expect(outcome(() => matchRoute(method, path, false)), `${method} ${path}`).toEqual(outcome(() => scan(method, path, false)));
        const grouped = `/acme${path}`;
        expect(outcome(() => matchRoute(method, grouped, true)), `${method} ${grouped}`).toEqual(outcome(() => scan(method, grouped, true)));
        compared += 2;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('prefers the fixed route to the parameter route it shares a path with, and falls back to it', () => {
    expect(outcome(() => matchRoute('POST', '/accounts/import', false))).toMatchObject({ path: '/accounts/import' });
    expect(outcome(() => matchRoute('GET', '/accounts/import', false))).toMatchObject({ path: '/accounts/{id}', params: { id: 'import' } });
  });
});
