import type { Auth } from '../core/create-auth.js';

export interface TestResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: any;
  text: string;
}

export interface TestRequestInit {
  /** An object is sent as JSON with `content-type: application/json`; a string is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** How a conformance suite talks to one adapter. Paths are full paths, mounted at `/auth`. */
export interface TestClient {
  request(method: string, path: string, init?: TestRequestInit): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Mounts `auth` at `/auth` in one framework (multi-group mode when `groups`) and returns a client. */
export type CreateClient = (auth: Auth, options: { groups: boolean }) => Promise<TestClient>;

/** Encodes a request the way every client does, so all adapters receive the same bytes. */
export function encodeRequest(init: TestRequestInit = {}): { body: string | undefined; headers: Record<string, string> } {
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
