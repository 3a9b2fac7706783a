import { z } from 'zod';
import { component } from '../openapi/components.js';

/** `GET /openapi.json`: described only as far as its own schema would repeat the OpenAPI specification. */
export const openApiDocumentBody = component(
  'OpenApiDocument',
  z.looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.looseObject({})),
  }),
  'An OpenAPI 3.1 document: this one (https://spec.openapis.org/oas/v3.1.0).',
);
