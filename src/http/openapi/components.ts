import { z } from 'zod';

/** What the OpenAPI document knows of a named schema: its name, and what it is. */
export interface ComponentMeta {
  /** The name under `components.schemas` (`Account`), which `$ref`s point at. */
  id: string;
  /** One or two sentences for the document. */
  description: string;
}

/**
 * The named schemas of the HTTP API's answers: every response body of the route table, and the
 * resources they hold. The OpenAPI document puts each one it uses in `components.schemas` and refers
 * to it by `$ref`, wherever it appears.
 */
export const components = z.registry<ComponentMeta>();

/**
 * Names a response schema: registers it in {@link components} and returns it unchanged, so it can be
 * both used in the route table and referred to by the document.
 *
 * @example
 * ```ts
 * export const session = component('Session', z.object({ id: z.string() }), 'A live session.')
 * ```
 */
export function component<Schema extends z.ZodType>(id: string, schema: Schema, description: string): Schema {
  components.add(schema, { id, description });
  return schema;
}

/**
 * A page of a list, as every list route answers it: `{ data, nextCursor }` (`nextCursor` is null
 * exactly when nothing is left), named `id`.
 *
 * @example
 * ```ts
 * export const sessionList = page('SessionList', session, 'The account’s live sessions.')
 * ```
 */
export function page<Item extends z.ZodType>(id: string, item: Item, description: string): PageSchema<Item> {
  return component(id, z.object({ data: z.array(item), nextCursor: z.string().nullable() }), description);
}

/** The schema {@link page} makes: `{ data: Item[], nextCursor: string | null }`. */
export type PageSchema<Item extends z.ZodType> = z.ZodObject<{ data: z.ZodArray<Item>; nextCursor: z.ZodNullable<z.ZodString> }>;
