import { openApiDocument } from '../openapi/document.js';
import { defineRoute, type Route } from '../route.js';
import { openApiDocumentBody } from '../responses/openapi.js';

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of what this mount serves, built from `table` (the route
 * table this route is part of, passed in so that the table and its document do not import each other).
 * Public and the same for every caller, so shared caches may keep it for a few minutes.
 *
 * @example
 * ```ts
 * export const routes: Route[] = [...others, ...openApiRoutes(() => routes)]
 * ```
 */
export function openApiRoutes(table: () => readonly Route[]): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      tags: ['Meta'],
      auth: 'none',
      responses: { 200: openApiDocumentBody },
      errors: [],
      handler: async ({ auth, params, request }) => ({
        status: 200,
        body: openApiDocument(table(), {
          basePath: request.basePath ?? '',
          groups: params.group !== undefined,
          webauthn: auth.options.webauthn !== undefined,
        }),
        headers: { 'cache-control': 'public, max-age=300' },
      }),
    }),
  ];
}
