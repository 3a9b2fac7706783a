import type { z } from 'zod';
import { AuthError } from '../core/errors.js';
import type { Route } from './route.js';
import { emptyBody } from './schemas.js';
import type { HttpRequest } from './types.js';

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/**
 * Turns the body into the route's validated input. An empty body is `{}` (what `curl -X POST` sends
 * is fine for routes without input); anything else must be JSON matching the route's strict schema.
 *
 * @throws AuthError `validation_failed` (malformed JSON, wrong content type, schema), `payload_too_large`
 */
export function readBody(route: Route, request: HttpRequest): unknown {
  const schema: z.ZodType = route.body ?? emptyBody;
  return validate(schema, request.method === 'GET' ? {} : rawValue(request), 'request body');
}

/**
 * The route's validated query string; routes without a query schema ignore it.
 *
 * @throws AuthError `validation_failed`
 */
export function readQuery(route: Route, request: HttpRequest): unknown {
  if (!route.query) return {};
  return validate(route.query, Object.fromEntries(request.query), 'query string');
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

function rawValue(request: HttpRequest): unknown {
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
