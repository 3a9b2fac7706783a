/** A request as every adapter hands it to the route handler: the framework's parts, converted at the edge. */
export interface HttpRequest {
  method: string;
  /** Path below the mount point, e.g. `/login`, or `/acme/login` in multi-group mode. */
  path: string;
  query: URLSearchParams;
  /** A header by lower-case name. */
  header(name: string): string | undefined;
  body: RequestBody;
  ip: string | null;
  /** Where the routes are mounted (`/auth`), as the adapter knows it; empty at the root. */
  basePath?: string;
}

/**
 * The body as the framework left it: not read, raw text (the adapter read it), or already parsed as
 * JSON by the framework (Express with `express.json()` installed).
 */
export type RequestBody =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  | { kind: 'parsed'; value: unknown }
  | { kind: 'too_large' };

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON-serialisable; absent for 204 and empty 200s. */
  body?: unknown;
}

/** Options every adapter takes. */
export interface HttpOptions {
  /** Multi-group mode: every path is prefixed by the group id (`/auth/{group}/login`). Default false. */
  groups?: boolean;
  /** Largest accepted request body in bytes (default 64 KiB). */
  bodyLimit?: number;
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * How many bytes of a body over the limit are still read, and thrown away, before the 413 goes out:
 * 8 MiB, or four times the limit when that is more. A server that answers and closes while the client
 * is still sending makes the kernel reset the connection, so the client sees `EPIPE` or "other side
 * closed" instead of the 413. Reading the rest costs only bandwidth; past this cap the answer carries
 * `Connection: close` instead, and a client that keeps sending may lose it.
 */
export function drainLimit(limit: number): number {
  return Math.max(8 * 1024 * 1024, 4 * limit);
}
