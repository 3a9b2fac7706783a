import { z } from 'zod';
import { components } from './components.js';

/** A JSON Schema (2020-12, which OpenAPI 3.1 uses), as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/** Where a named schema lives in the document. */
const refTo = (id: string): string => `#/components/schemas/${id}`;

/**
 * Drops what says nothing in a document: the `pattern` zod writes beside `format: date-time` (the
 * format says it), and integer bounds that are only JavaScript's safe range.
 */
function tidy({ jsonSchema }: { jsonSchema: JsonSchema }): void {
  if (jsonSchema.format === 'date-time' || jsonSchema.format === 'date') delete jsonSchema.pattern;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

/**
 * The JSON Schema of what a client sends (a body or a query string): zod's input side, so a transform
 * shows what it takes and a default leaves its field optional.
 *
 * @example
 * ```ts
 * requestSchema(refreshBody) // { type: 'object', properties: { refreshToken: … }, required: ['refreshToken'], … }
 * ```
 */
export function requestSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: tidy }) as JsonSchema;
  return json;
}

let componentCache: Record<string, JsonSchema> | undefined;

/**
 * Every named response schema ({@link components}) as JSON Schema, by name, each with its description:
 * zod's output side, and one named schema inside another as a `$ref`.
 *
 * @example
 * ```ts
 * componentSchemas().TokenResponse.properties.account // { $ref: '#/components/schemas/Account' }
 * ```
 */
export function componentSchemas(): Record<string, JsonSchema> {
  componentCache ??= Object.fromEntries(
    Object.entries(z.toJSONSchema(components, { io: 'output', uri: refTo, override: tidy, metadata: components }).schemas).map(([id, schema]) => {
      const { $schema: _, $id: __, ...json } = schema as JsonSchema;
      return [id, json];
    }),
  );
  return componentCache;
}

/**
 * A `$ref` to the named schema of a response body.
 *
 * @throws Error when the schema is not named: every response schema of the route table must be a component
 * @example
 * ```ts
 * componentRef(account) // { $ref: '#/components/schemas/Account' }
 * ```
 */
export function componentRef(schema: z.ZodType): { $ref: string } {
  const meta = components.get(schema);
  if (!meta) throw new Error('A response schema of the route table is not a named component (see component()).');
  return { $ref: refTo(meta.id) };
}
