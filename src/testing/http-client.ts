import type { Auth } from '../core/create-auth.js';

/** An answer as a {@link TestClient} reads it: the body both parsed and as text. */
export interface TestResponse {
  /** The HTTP status. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: any;
  /** The body as received. */
  text: string;
}

/** What a {@link TestClient} request sends besides its method and path. */
export interface TestRequestInit {
  /** An object is sent as JSON with `content-type: application/json`; a string is sent as it is. */
  body?: unknown;
  /** Request headers, sent as given. */
  headers?: Record<string, string>;
}

/** How a conformance suite talks to one adapter. Paths are full paths, mounted at `/auth`. */
export interface TestClient {
  /** Sends one request, e.g. `request('POST', '/auth/login', { body: { email, password } })`. */
  request(method: string, path: string, init?: TestRequestInit): Promise<TestResponse>;
  /** Releases what the client holds (a listening server); called once the suite is done with it. */
  close(): Promise<void>;
}

/** Mounts `auth` at `/auth` in one framework (multi-group mode when `groups`) and returns a client. */
export type CreateClient = (auth: Auth, options: { groups: boolean }) => Promise<TestClient>;

/**
 * Encodes a request the way every client does, so all adapters receive the same bytes.
 *
 * @example
 * ```ts
 * encodeRequest({ body: { email: 'ada@example.com' } })
 * // { body: '{"email":"ada@example.com"}', headers: { 'content-type': 'application/json' } }
 * ```
 */
export function encodeRequest(init: TestRequestInit = {}): {
  /** The body to send: the string given, or the object as JSON. */
  body: string | undefined;
  /** The headers given, plus `content-type: application/json` for a JSON body unless one was given. */
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body === undefined || typeof init.body === 'string') return { body: init.body as string | undefined, headers };
  const lower = Object.keys(headers).map((k) => k.toLowerCase());
  if (!lower.includes('content-type')) headers['content-type'] = 'application/json';
  return { body: JSON.stringify(init.body), headers };
}

async function toTestResponse(response: Response): Promise<TestResponse> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** A client for a fetch-style handler, called in process. */
export function fetchClient(handler: (request: Request) => Promise<Response>): TestClient {
  return {
    async request(method, path, init) {
      const { body, headers } = encodeRequest(init);
      return toTestResponse(await handler(new Request(`http://127.0.0.1${path}`, { method, body, headers })));
    },
    async close() {},
  };
}

/** A client for a server listening on loopback; `close` stops the server. */
export function serverClient(baseUrl: string, close: () => Promise<void>): TestClient {
  return {
    async request(method, path, init) {
      const { body, headers } = encodeRequest(init);
      return toTestResponse(await fetch(`${baseUrl}${path}`, { method, body, headers }));
    },
    close,
  };
}
