import type { Route } from '../route.js';
import { componentSchemas, type JsonSchema } from './json-schema.js';
import { type OpenApiMount, servedRoutes } from './mount.js';
import { type OperationObject, operationOf } from './operation.js';
import { documentPath, SHARED_PARAMETERS } from './parameters.js';
import { TAGS } from './tags.js';

/** An OpenAPI 3.1 document, as {@link openApiDocument} builds it. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  servers: Array<{ url: string; description: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, OperationObject>>;
  components: {
    schemas: Record<string, JsonSchema>;
    parameters?: Partial<typeof SHARED_PARAMETERS>;
    securitySchemes?: Record<string, JsonSchema>;
  };
}

const INFO: OpenApiDocument['info'] = {
  title: 'latchkey',
  version: '1.0.0',
  description:
    'The HTTP API of latchkey, an embeddable authentication library: accounts, passwords, rotating refresh tokens, ' +
    'second factors, passkeys, administration and webhooks. Every adapter (fetch, Hono, Express, Fastify) serves it ' +
    'identically. Errors are `{ "error": { "code", "message", "details"? } }`: switch on `error.code`.',
  license: { name: 'MIT', identifier: 'MIT' },
};

const BEARER = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access token of a sign-in.' };

/** Documents already built, by route table and by the options that change them (not the base path). */
const built = new WeakMap<readonly Route[], Map<string, Omit<OpenApiDocument, 'servers'>>>();

/**
 * The OpenAPI 3.1 document of a mount of the route table, built from the table alone: every route the
 * mount serves (see `servedRoutes`), with its parameters, bodies, answers, error codes and security.
 * The same mount always gets the same document, down to the order of its keys; it is built once per
 * set of options. Treat it as read-only.
 *
 * @example
 * ```ts
 * const doc = openApiDocument(routes, { basePath: '/auth', groups: false, webauthn: true })
 * doc.paths['/login'].post.operationId // 'login'
 * ```
 */
export function openApiDocument(routes: readonly Route[], mount: OpenApiMount): OpenApiDocument {
  const key = `${mount.groups}:${mount.webauthn}`;
  const byOptions = built.get(routes) ?? new Map<string, Omit<OpenApiDocument, 'servers'>>();
  built.set(routes, byOptions);
  let document = byOptions.get(key);
  if (!document) byOptions.set(key, (document = build(routes, mount)));
  const { openapi, info, tags, paths, components } = document;
  const servers = [{ url: mount.basePath || '/', description: 'Where the routes are mounted.' }];
  return { openapi, info, servers, tags, paths, components };
}

function build(routes: readonly Route[], mount: OpenApiMount): Omit<OpenApiDocument, 'servers'> {
  const served = servedRoutes(routes, mount);
  const paths: OpenApiDocument['paths'] = {};
  for (const route of served) {
    const path = documentPath(route, mount.groups);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route, mount) };
  }
  const used = new Set(served.flatMap((route) => route.tags));
  const parameters = {
    ...(mount.groups ? { Group: SHARED_PARAMETERS.Group } : {}),
    ...(served.some((route) => route.otp === true) ? { Otp: SHARED_PARAMETERS.Otp } : {}),
  };
  return deepFreeze({
    openapi: '3.1.0',
    info: INFO,
    tags: Object.entries(TAGS)
      .filter(([name]) => used.has(name as keyof typeof TAGS))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: reachableSchemas(paths),
      ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
      ...(served.some((route) => route.auth !== 'none') ? { securitySchemes: { bearerAuth: BEARER } } : {}),
    },
  });
}

/** The named schemas the paths refer to, directly or through other named schemas, sorted by name. */
function reachableSchemas(paths: OpenApiDocument['paths']): Record<string, JsonSchema> {
  const all = componentSchemas();
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, item] of Object.entries(value)) {
      const name = key === '$ref' && typeof item === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(item)?.[1] : undefined;
      if (name !== undefined && !names.has(name)) (names.add(name), visit(all[name]));
      else visit(item);
    }
  };
  visit(paths);
  return Object.fromEntries([...names].sort().map((name) => [name, all[name]!]));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
