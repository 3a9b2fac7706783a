import fc, { type Arbitrary } from 'fast-check';
import { z } from 'zod';
import type { Route } from '../../src/http/route.js';
import { fromJsonSchema, type JsonSchema } from './json-schema-arbitrary.js';

/**
 * One fuzzed request as plain data, so that a failure prints it whole. `@account`, `@admin` (in a path
 * segment) and the `token` kinds are filled in at send time with the fixture's real ids and tokens.
 */
export interface FuzzRequest {
  method: string;
  /** Path below the mount point, already percent-encoded (or deliberately not). */
  path: string;
  query: string;
  headers: Record<string, string>;
  token: 'none' | 'account' | 'admin' | 'expired' | 'forged' | 'garbage';
  garbageToken: string;
  /** The `authorization` scheme around the token (`Bearer `, `bearer `, `Basic ` ...). */
  scheme: string;
  body: string | null;
  /** Which handler: the socket address only, or behind one trusted proxy (reads `x-forwarded-for`). */
  proxied: boolean;
  /** Same address as the previous request (to reach the throttles) instead of a fresh one. */
  sameIp: boolean;
}

const BODY_LIMIT = 64 * 1024;

function jsonSchemaOf(schema: z.ZodType | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined;
  }
}

const headerText = fc.string({ maxLength: 80, unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)) });

const segment: Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('@account', '@admin') },
  { weight: 3, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }).map(encodeURIComponent) },
  { weight: 2, arbitrary: fc.constantFrom('..', '.', '%00', '%2e%2e', '%2F', '%ff', '%zz', '%', '', 'a;b', '\u0000', 'é', '%F0%9F%92%A9') },
  { weight: 1, arbitrary: fc.integer({ min: 256, max: 8192 }).map((n) => 'a'.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: 'binary' }) },
);

function pathOf(route: Route): Arbitrary<string> {
  const names = route.path.match(/\{\w+\}/g) ?? [];
  if (names.length === 0) return fc.constant(route.path);
  return fc.array(segment, { minLength: names.length, maxLength: names.length }).map((values) => {
    let i = 0;
    return route.path.replace(/\{\w+\}/g, () => values[i++]!);
  });
}

function queryOf(schema: JsonSchema | undefined): Arbitrary<string> {
  const valid = fromJsonSchema(schema).map((value) => {
    if (!value || typeof value !== 'object') return '';
    const entries = Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
    return new URLSearchParams(entries).toString();
  });
  const random = fc
    .array(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30, unit: 'grapheme' })), { maxLength: 6 })
    .map((entries) => new URLSearchParams(entries).toString());
  const raw = fc.constantFrom('limit=-1', 'limit=1e999', 'limit=abc&limit=2', 'q=%', 'q=%zz', 'cursor=' + 'x'.repeat(5000), '=&&=', 'after=%00');
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 2, arbitrary: random }, { weight: 1, arbitrary: raw }, { weight: 2, arbitrary: fc.constant('') });
}

type Body = { body: string | null; contentType: string | null };

const json = (value: unknown): Body => ({ body: JSON.stringify(value) ?? 'null', contentType: 'application/json' });

function bodyOf(route: Route, schema: JsonSchema | undefined): Arbitrary<Body> {
  const keys = Object.keys(schema?.properties ?? {});
  const wrongTypes = fc
    .record(Object.fromEntries(keys.map((k) => [k, fc.jsonValue({ maxDepth: 2 })])), { requiredKeys: [] })
    .map(json);
  const huge = fc
    .tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), fc.integer({ min: 1000, max: BODY_LIMIT + 4096 }))
    .map(([key, n]) => json({ [key]: 'a'.repeat(n) }));
  const deep = fc
    .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
    .map(([d, arr]): Body => ({ body: arr ? '['.repeat(d) + ']'.repeat(d) : '{"a":'.repeat(d) + '1' + '}'.repeat(d), contentType: 'application/json' }));
  const notJson = fc
    .tuple(fc.string({ maxLength: 200, unit: 'binary' }), fc.constantFrom('application/json', 'text/plain', null, 'application/json; charset=utf-16', '*/*', 'application/xml'))
    .map(([body, contentType]): Body => ({ body, contentType }));
  const valid = fromJsonSchema(schema).map(json);
  const form = fromJsonSchema(schema).map((value): Body => {
    const entries = value && typeof value === 'object' ? Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']) : [];
    return { body: new URLSearchParams(entries).toString(), contentType: 'application/x-www-form-urlencoded' };
  });
  const patch = fc
    .array(
      fc.record({ op: fc.constantFrom('add', 'replace', 'remove', 'test', 'move', 'copy', 'nope'), path: fc.constantFrom('/name/first', '/roles', '/', '', '/a~2b', '/metadata/x'), value: fc.jsonValue({ maxDepth: 2 }) }),
      { maxLength: 4 },
    )
    .map((ops): Body => ({ body: JSON.stringify(ops), contentType: 'application/json-patch+json' }));
  return fc.oneof(
    { weight: 8, arbitrary: valid },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) },
    { weight: 2, arbitrary: wrongTypes },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: deep },
    { weight: 2, arbitrary: notJson },
    { weight: route.oauth ? 3 : 1, arbitrary: form },
    { weight: route.jsonPatch ? 3 : 0, arbitrary: patch },
    { weight: 1, arbitrary: fc.constant<Body>({ body: null, contentType: null }) },
  );
}

const tokenKind = fc.constantFrom<FuzzRequest['token']>('account', 'account', 'admin', 'admin', 'none', 'expired', 'forged', 'garbage');
const scheme = fc.oneof({ weight: 10, arbitrary: fc.constant('Bearer ') }, { weight: 1, arbitrary: fc.constantFrom('bearer ', 'Bearer  ', 'Basic ', 'Bearer', '', 'Token ') });

function headersOf(otp: boolean): Arbitrary<Record<string, string>> {
  return fc.record(
      {
        'x-otp': otp ? fc.oneof(fc.constantFrom('123456', '000000', ''), headerText) : headerText,
        'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), headerText, fc.constantFrom('1.2.3.4, 5.6.7.8', '::ffff:1.2.3.4', 'unknown, , ,')),
        'user-agent': headerText,
        'x-latchkey-group': headerText,
        origin: fc.constantFrom('http://localhost:3000', 'https://evil.example', 'null'),
      },
      { requiredKeys: [] },
    );
}

function build(method: Arbitrary<string>, path: Arbitrary<string>, query: Arbitrary<string>, body: Arbitrary<Body>, otp: boolean): Arbitrary<FuzzRequest> {
  return fc
    .record({ method, path, query, body, headers: headersOf(otp), token: tokenKind, garbageToken: headerText, scheme, proxied: fc.boolean(), sameIp: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) })
    .map(({ body, headers, ...r }): FuzzRequest => ({ ...r, body: body.body, headers: body.contentType === null ? headers : { ...headers, 'content-type': body.contentType } }));
}

/** Requests to one route of the table: mostly well-formed, with hostile bodies, queries, params and headers mixed in. */
export function routeRequests(route: Route): Arbitrary<FuzzRequest> {
  const method = fc.oneof({ weight: 19, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'PUT', 'get', 'PROPFIND') });
  return build(method, pathOf(route), queryOf(jsonSchemaOf(route.query)), bodyOf(route, jsonSchemaOf(route.body)), route.otp === true);
}

/** Requests to paths and with methods the table does not have. */
export function strayRequests(): Arbitrary<FuzzRequest> {
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT-ish', 'M-SEARCH');
  const path = fc.oneof(fc.webPath(), fc.array(segment, { maxLength: 6 }).map((s) => '/' + s.join('/')), fc.constantFrom('', '/', '//', '/accounts/', '/account//sessions', '/.well-known/', '/../../etc/passwd'));
  return build(method, path, queryOf(undefined), bodyOf({ oauth: false } as Route, undefined), false);
}
