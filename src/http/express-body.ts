import type { IncomingMessage } from 'node:http';
import { readBodyStream, type StreamedBody } from './read-body.js';
import type { RequestBody } from './types.js';

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** A form as `express.urlencoded({ extended: false })` leaves it: names to strings (or lists of them). */
function isFlatForm(body: unknown): body is Record<string, string | string[]> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  return Object.values(body).every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')));
}

/** What body parsers leave on an Express request. */
interface ParsedRequest extends IncomingMessage {
  body?: unknown;
  /** Set by body-parser 1.x (Express 4); 2.x only leaves the stream ended. */
  _body?: boolean;
}

/**
 * The body of an Express request: what `express.json()` parsed when the host app installed it, or the
 * raw text read here up to `limit` bytes (an over-limit body is still read to its end, see
 * {@link readBodyStream}).
 *
 * @throws the stream's error (the client went away mid-body)
 */
export async function readExpressBody(req: ParsedRequest, limit: number): Promise<StreamedBody> {
  if (req.method === 'GET' || req.method === 'HEAD') return { body: { kind: 'none' }, complete: true };
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (req._body === true || req.readableEnded) {
    const tooLarge = declared !== undefined && declared > limit;
    return { body: tooLarge ? { kind: 'too_large' } : parsedBody(req), complete: true };
  }
  return readBodyStream(req, limit, declared);
}

/**
 * The body a body-parser error stands for, so the shared code answers it as the fetch handler would
 * (same route matching, authentication first, same error body). Undefined for other errors.
 */
export function bodyFromParserError(error: unknown): RequestBody | undefined {
  const { type, status, body } = (error ?? {}) as { type?: unknown; status?: unknown; body?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (type === 'entity.too.large') return { kind: 'too_large' };
  // Replaying the raw text makes readBody fail the same way; without it, any unparseable text does.
  return { kind: 'text', text: type === 'entity.parse.failed' && typeof body === 'string' ? body : '\u0000' };
}

/** Another middleware consumed the stream: use its result. */
function parsedBody(req: ParsedRequest): RequestBody {
  const { body } = req;
  if (typeof body === 'string') return { kind: 'text', text: body };
  if (Buffer.isBuffer(body)) return { kind: 'text', text: new TextDecoder().decode(body) };
  if (JSON_TYPE.test(req.headers['content-type'] ?? '')) return { kind: 'parsed', value: body };
  // `express.urlencoded()` took a form: write it back as the form text it was, for the routes that take
  // forms (the RFC token routes); every other route refuses the type as it would the raw body.
  if (FORM_TYPE.test(req.headers['content-type'] ?? '') && isFlatForm(body)) {
    return { kind: 'text', text: new URLSearchParams(Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString() };
  }
  // A non-JSON parser (urlencoded…) took it: keep only whether it was empty, so readBody refuses the type.
  const empty = body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0);
  return { kind: 'text', text: empty ? '' : '\u0000' };
}
