import { GROUP_ID_PATTERN } from '../../core/internal/groups/require-group.js';
import type { Route } from '../route.js';
import { type JsonSchema, requestSchema } from './json-schema.js';

/** An OpenAPI Parameter Object, or a `$ref` to one in `components.parameters`. */
export type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: JsonSchema } | { $ref: string };

/** The parameters every document that uses them defines once: the group prefix and `x-otp`. */
export const SHARED_PARAMETERS = {
  Group: {
    name: 'group',
    in: 'path',
    required: true,
    description: 'The auth group (multi-group mode): a lower-case slug.',
    schema: { type: 'string', pattern: GROUP_ID_PATTERN.source },
  },
  Otp: {
    name: 'x-otp',
    in: 'header',
    required: false,
    description:
      'A current second factor (an authenticator code, a code sent by email or SMS, or a recovery code): the proof ' +
      'of a factor change once a second factor is on, in place of the password.',
    schema: { type: 'string', maxLength: 64 },
  },
} as const;

/**
 * A route's path as the document lists it: below the mount, with `/{group}` in front in multi-group mode.
 *
 * @example
 * ```ts
 * documentPath(loginRoute, true) // '/{group}/login'
 * ```
 */
export function documentPath(route: Route, groups: boolean): string {
  return (groups ? '/{group}' : '') + route.path;
}

/**
 * A route's parameters: the group and the `{name}`s of its path, its query string's fields, and the
 * `x-otp` header when it reads one.
 *
 * @example
 * ```ts
 * parametersOf(revokeSessionRoute, false) // [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]
 * ```
 */
export function parametersOf(route: Route, groups: boolean): Parameter[] {
  const path = [...documentPath(route, groups).matchAll(/\{(\w+)\}/g)].map(([, name]): Parameter =>
    name === 'group' ? { $ref: '#/components/parameters/Group' } : { name: name!, in: 'path', required: true, schema: { type: 'string' } },
  );
  return [...path, ...queryParameters(route), ...(route.otp === true ? [{ $ref: '#/components/parameters/Otp' }] : [])];
}

/** The fields of a route's query schema, one parameter each. */
function queryParameters(route: Route): Parameter[] {
  if (!route.query) return [];
  const schema = requestSchema(route.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, field]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: field,
  }));
}
