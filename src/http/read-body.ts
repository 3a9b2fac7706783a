import { z } from 'zod';
import { AuthError } from '../core/errors.js';
import type { Route } from './route.js';
import { emptyBody, jsonPatchBody } from './schemas.js';
import { drainLimit, type HttpRequest, type RequestBody } from './types.js';

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;
const PATCH_TYPE = /^application\/json-patch\+json\s*(;|$)/i;

/**
 * Turns the body into the route's validated input. An empty body is `{}` (what `curl -X POST` sends
 * is fine for routes without input); anything else must be JSON matching the route's strict schema.
 * OAuth routes (`route.oauth`) also take a form-encoded body, whose parameters the schema checks alike;
 * `route.jsonPatch` routes also take a JSON Patch array, with its own content type.
 * No string anywhere in it (a key or a value, however deep) may contain U+0000: no field has a use for
 * it, and PostgreSQL refuses it in text, which would turn a typo into a 500.
 *
 * @throws AuthError `validation_failed` (malformed JSON, wrong content type, a NUL character, schema),
 * `payload_too_large`
 */
export function readBody(route: Route, request: HttpRequest): unknown {
  // A GET's body is never read, and `{}` is all a route without a body schema accepts.
  if (request.method === 'GET' && route.body === undefined && route.jsonPatch !== true) return {};
  const schema: z.ZodType = route.body ?? emptyBody;
  const value = request.method === 'GET' ? {} : rawValue(request, route.oauth === true);
  rejectNul(value, 'request body');
  if (route.jsonPatch !== true) return validate(schema, value, 'request body');
  const body = validate(z.union([schema, jsonPatchBody]), value, 'request body');
  if (PATCH_TYPE.test(request.header('content-type') ?? '') !== Array.isArray(body)) {
    throw new AuthError('validation_failed', 'A JSON Patch array needs Content-Type: application/json-patch+json.', {
      details: [{ path: '', message: 'body and content type do not match' }],
    });
  }
  return body;
}

/** A body read from its stream by {@link readBodyStream}. */
export interface StreamedBody {
  body: RequestBody;
  /** False when reading stopped before the end (past the drain cap): answer with `Connection: close`. */
  complete: boolean;
}

/**
 * Reads a request body of at most `limit` bytes as text (TextDecoder drops a UTF-8 BOM). A larger one
 * is `too_large`, and the rest of it is still read and thrown away, up to {@link drainLimit}, so that the
 * client can read the 413 (see there). A Content-Length over that cap is not read at all. `chunks` is a
 * Node stream, or a web stream's chunks.
 *
 * @throws the stream's error (the client went away mid-body)
 */
export async function readBodyStream(
  chunks: AsyncIterable<Uint8Array>,
  limit: number,
  declaredLength: number | undefined,
): Promise<StreamedBody> {
  const tooLarge = (complete: boolean): StreamedBody => ({ body: { kind: 'too_large' }, complete });
  const cap = drainLimit(limit);
  if (declaredLength !== undefined && declaredLength > cap) return tooLarge(false);
  // Iterated by hand: leaving a for-await loop early would destroy a Node request, and its socket with
  // it, before the answer is written. An abandoned iterator just stops reading.
  const iterator = chunks[Symbol.asyncIterator]();
  const kept: Uint8Array[] = [];
  let size = 0;
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    size += next.value.byteLength;
    if (size <= limit) kept.push(next.value);
    else if (size > cap) return tooLarge(false);
    else kept.length = 0;
  }
  if (size > limit) return tooLarge(true);
  return { body: { kind: 'text', text: new TextDecoder().decode(Buffer.concat(kept)) }, complete: true };
}

/**
 * The route's validated query string; routes without a query schema ignore it. Values with U+0000 are
 * refused as in bodies.
 *
 * @throws AuthError `validation_failed`
 */
export function readQuery(route: Route, request: HttpRequest): unknown {
  if (!route.query) return {};
  const value = Object.fromEntries(request.query);
  rejectNul(value, 'query string');
  return validate(route.query, value, 'query string');
}

/**
 * The path (`name.first`, `0.value`) of the first string in `value` that contains U+0000, or null. A key
 * with one is reported at the object that holds it. Iterative, with paths as parent links, so a deeply
 * nested body costs neither stack nor quadratic memory.
 */
export function findNul(value: unknown): string | null {
  interface Node {
    value: unknown;
    key: string | number | null;
    parent: Node | null;
  }
  const pathOf = (node: Node | null): string => {
    const keys: Array<string | number> = [];
    for (let at = node; at !== null && at.key !== null; at = at.parent) keys.push(at.key);
    return keys.reverse().join('.');
  };
  const pending: Node[] = [{ value, key: null, parent: null }];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const item = node.value;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return pathOf(node);
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    const entries: Array<[string | number, unknown]> = Array.isArray(item)
      ? item.map((child, index) => [index, child])
      : Object.entries(item);
    for (const [key, child] of entries.reverse()) {
      if (typeof key === 'string' && key.includes('\u0000')) return pathOf(node);
      pending.push({ value: child, key, parent: node });
    }
  }
  return null;
}

function rejectNul(value: unknown, what: string): void {
  const path = findNul(value);
  if (path === null) return;
  throw new AuthError('validation_failed', `The ${what} is not valid.`, {
    details: [{ path, message: 'must not contain NUL characters' }],
  });
}

function validate(schema: z.ZodType, value: unknown, what: string): unknown {
  const result = schema.safeParse(value, { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
  if (result.success) return result.data;
  throw new AuthError('validation_failed', `The ${what} is not valid.`, {
    details: result.error.issues.map((issue) => ({
      path: [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.'),
      message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message,
    })),
  });
}

function rawValue(request: HttpRequest, formAllowed: boolean): unknown {
  const body = request.body;
  switch (body.kind) {
    case 'none':
      return {};
    case 'parsed':
      return body.value === undefined ? {} : body.value;
    case 'too_large':
      throw new AuthError('payload_too_large', 'The request body is too large.');
    case 'text': {
      if (body.text.trim() === '') return {};
      if (formAllowed && FORM_TYPE.test(request.header('content-type') ?? '')) return formValue(body.text);
      if (!JSON_TYPE.test(request.header('content-type') ?? '')) {
        throw new AuthError('validation_failed', 'The request body must be JSON (Content-Type: application/json).', {
          details: [{ path: '', message: 'content type must be application/json' }],
        });
      }
      try {
        return JSON.parse(body.text) as unknown;
      } catch {
        throw new AuthError('validation_failed', 'The request body is not valid JSON.', {
          details: [{ path: '', message: 'malformed JSON' }],
        });
      }
    }
  }
}

/** A form-encoded body as an object; a repeated parameter is refused (RFC 6749 §3.2). */
function formValue(text: string): Record<string, string> {
  const value: Record<string, string> = {};
  for (const [key, item] of new URLSearchParams(text)) {
    if (Object.hasOwn(value, key)) {
      throw new AuthError('validation_failed', 'The request body is not valid.', {
        details: [{ path: key, message: 'must not be repeated' }],
      });
    }
    value[key] = item;
  }
  return value;
}
