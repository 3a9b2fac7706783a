import fc, { type Arbitrary } from 'fast-check';

/** The part of a JSON Schema (as `z.toJSONSchema` writes it) that the fuzzer turns into values. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
}

/** Strings that tend to reach deeper than random ones: emails, phones, ids, codes, URLs, hostile text. */
const interesting = fc.constantFrom(
  'ada@example.com',
  'admin@example.com',
  'ADA@EXAMPLE.COM ',
  'correct horse battery staple',
  '123456',
  '+14155550123',
  'US',
  'email',
  'sms',
  'https://hooks.example.com/x',
  'http://127.0.0.1/',
  'acc_00000000000000000000000000',
  "' OR 1=1 --",
  '\u0000',
  '\ud800',
  '𝕒𝕕𝕒',
  '../../etc/passwd',
  '%00',
  '2030-01-01T00:00:00.000Z',
);

function stringArb(schema: JsonSchema): Arbitrary<string> {
  const max = Math.min(schema.maxLength ?? 64, 256);
  const min = Math.min(schema.minLength ?? 0, max);
  if (schema.format === 'email') return fc.oneof(fc.emailAddress(), interesting);
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }) },
    { weight: 2, arbitrary: interesting },
    { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'binary' }) },
  );
}

function numberArb(schema: JsonSchema, integer: boolean): Arbitrary<number> {
  const min = schema.minimum ?? -1e6;
  const max = schema.maximum ?? 1e6;
  const inRange = integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
  return fc.oneof({ weight: 4, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 1e308, 2 ** 53, 0.5) });
}

/**
 * Values that mostly satisfy `schema` (and, now and then, nearly do: an optional key missing, a bound
 * crossed), so that requests get past validation into the handlers.
 */
export function fromJsonSchema(schema: JsonSchema | undefined, depth = 0): Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => fromJsonSchema(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => fromJsonSchema({ ...schema, type: t }, depth)));
  switch (type[0]) {
    case 'string':
      return stringArb(schema);
    case 'integer':
      return numberArb(schema, true);
    case 'number':
      return numberArb(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const maxLength = Math.min(schema.maxItems ?? 5, 5);
      const minLength = Math.min(schema.minItems ?? 0, maxLength);
      return fc.array(fromJsonSchema(schema.items, depth + 1), { minLength, maxLength });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const required = schema.required ?? [];
      const record = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, fromJsonSchema(s, depth + 1)]));
      return fc.record(record, { requiredKeys: required.filter((key) => key in properties) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
