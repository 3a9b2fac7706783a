import type { AuthErrorCode } from '../../core/errors.js';
import type { Route, SuccessStatus } from '../route.js';
import { oauthErrorCode, STATUS_BY_CODE } from '../status.js';
import { components } from './components.js';
import { componentRef, type JsonSchema } from './json-schema.js';

/** An OpenAPI Response Object. */
export interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
}

type Status = SuccessStatus | (typeof STATUS_BY_CODE)[AuthErrorCode];

/** The reason phrase of every status the routes answer with: a status without one does not compile. */
const REASON = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const satisfies Record<Status, string>;

const JSON_TYPE = 'application/json';

/**
 * A route's answers when it succeeds, by status: the named schema of each body (described as that
 * schema is), or no content.
 *
 * @example
 * ```ts
 * successResponses(logoutRoute) // { '204': { description: 'No Content' } }
 * ```
 */
export function successResponses(route: Route): Record<string, ResponseObject> {
  return Object.fromEntries(
    Object.entries(route.responses).map(([status, schema]): [string, ResponseObject] => {
      const reason = REASON[Number(status) as SuccessStatus];
      if (!schema) return [status, { description: reason }];
      const description = components.get(schema)?.description ?? reason;
      return [status, { description, content: { [JSON_TYPE]: { schema: componentRef(schema) } } }];
    }),
  );
}

/**
 * A route's error answers, one per status, each naming the codes it can carry: the `Error` schema with
 * `error.code` narrowed to them, or on OAuth routes the `OAuthError` schema with `error` narrowed to
 * their OAuth names. A 401 that may be `unauthenticated` says `WWW-Authenticate`; a 429 says `Retry-After`.
 *
 * @example
 * ```ts
 * errorResponses(logoutRoute, ['validation_failed', 'rate_limited'])['429'].description // 'Too Many Requests: `rate_limited`.'
 * ```
 */
export function errorResponses(route: Route, codes: readonly AuthErrorCode[]): Record<string, ResponseObject> {
  const byStatus = new Map<number, AuthErrorCode[]>();
  for (const code of codes) byStatus.set(STATUS_BY_CODE[code], [...(byStatus.get(STATUS_BY_CODE[code]) ?? []), code]);
  const statuses = [...byStatus.keys()].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((status): [string, ResponseObject] => {
      const group = byStatus.get(status)!;
      const listed = group.map((code) => `\`${code}\``).join(', ');
      const response: ResponseObject = {
        description: `${REASON[status as Status]}: ${listed}.`,
        content: { [JSON_TYPE]: { schema: route.oauth === true ? oauthErrorSchema(group) : errorSchema(group) } },
      };
      const headers = headersOf(group);
      return [String(status), Object.keys(headers).length > 0 ? { ...response, headers } : response];
    }),
  );
}

function errorSchema(codes: readonly AuthErrorCode[]): JsonSchema {
  const narrowed = { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } };
  return { allOf: [{ $ref: '#/components/schemas/Error' }, narrowed] };
}

function oauthErrorSchema(codes: readonly AuthErrorCode[]): JsonSchema {
  const narrowed = { type: 'object', properties: { error: { type: 'string', enum: [...new Set(codes.map(oauthErrorCode))] } } };
  return { allOf: [{ $ref: '#/components/schemas/OAuthError' }, narrowed] };
}

function headersOf(codes: readonly AuthErrorCode[]): NonNullable<ResponseObject['headers']> {
  const headers: NonNullable<ResponseObject['headers']> = {};
  if (codes.includes('unauthenticated')) {
    headers['WWW-Authenticate'] = { description: 'The bearer challenge (RFC 6750 §3).', schema: { type: 'string' } };
  }
  if (codes.includes('rate_limited')) {
    headers['Retry-After'] = { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } };
  }
  return headers;
}
