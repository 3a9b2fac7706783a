import type { Route } from '../route.js';
import { jsonPatchBody } from '../schemas.js';
import { type JsonSchema, requestSchema } from './json-schema.js';
import type { OpenApiMount } from './mount.js';
import { type Parameter, parametersOf } from './parameters.js';
import { errorResponses, type ResponseObject, successResponses } from './responses.js';
import { routeErrors } from './route-errors.js';

/** An OpenAPI Operation Object. */
export interface OperationObject {
  operationId: string;
  summary: string;
  tags: string[];
  /** `bearerAuth` on routes that need an access token; empty on the others. */
  security: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, ResponseObject>;
}

/**
 * One route as an OpenAPI operation on a mount: its identity and tags, its security, parameters and
 * body (JSON; also form-encoded on OAuth routes, and JSON Patch where the route takes one), and every
 * answer: the successes it declares and the errors it can give.
 *
 * @example
 * ```ts
 * operationOf(loginRoute, { basePath: '/auth', groups: false, webauthn: false }).operationId // 'login'
 * ```
 */
export function operationOf(route: Route, mount: OpenApiMount): OperationObject {
  const parameters = parametersOf(route, mount.groups);
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [...route.tags],
    security: route.auth === 'none' ? [] : [{ bearerAuth: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: requestBodyOf(route) } : {}),
    responses: { ...successResponses(route), ...errorResponses(route, routeErrors(route, mount)) },
  };
}

/** The body a route takes, by content type; required unless an empty body (`{}`) is valid. */
function requestBodyOf(route: Route): NonNullable<OperationObject['requestBody']> {
  const schema = requestSchema(route.body!);
  const content: Record<string, { schema: JsonSchema }> = { 'application/json': { schema } };
  if (route.oauth === true) content['application/x-www-form-urlencoded'] = { schema };
  if (route.jsonPatch === true) content['application/json-patch+json'] = { schema: requestSchema(jsonPatchBody) };
  return { required: !route.body!.safeParse({}).success, content };
}
