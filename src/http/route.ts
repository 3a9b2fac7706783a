import type { z } from 'zod';
import type { Auth } from '../core/create-auth.js';
import type { AccessTokenClaims } from '../core/internal/tokens/access-token.js';
import type { HttpRequest } from './types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler sees: validated input and, on authenticated routes, the verified token. */
export interface RouteContext<Body, Query = Record<string, never>> {
  auth: Auth;
  group: string;
  body: Body;
  /** The validated query string (routes with a `query` schema). */
  query: Query;
  params: Record<string, string>;
  request: HttpRequest;
  client: { ip: string | null; userAgent: string | null };
  /** Present on routes with `auth: 'account'` or `'admin'`. */
  claims: AccessTokenClaims;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route<Schema extends z.ZodType = z.ZodType, QuerySchema extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  /** Relative to the mount point (and group prefix), with `{name}` parameters. */
  path: string;
  /**
   * `account`: a valid bearer token of the group whose session is alive. `admin`: that, and the
   * account holds the `admin` role in the group, read from storage on every request.
   */
  auth: 'none' | 'account' | 'admin';
  /**
   * A route of the root group's administrators (`/groups`): served only in multi-group mode (404
   * otherwise), and only to admins of the `rootGroup` option's group (403 in every other group).
   * Needs `auth: 'admin'`.
   */
  root?: boolean;
  /**
   * An OAuth endpoint (RFC 7009, RFC 7662): it also takes form-encoded bodies
   * (`application/x-www-form-urlencoded`), and answers errors in the RFC 6749 §5.2 format.
   */
  oauth?: boolean;
  /**
   * Largest body in bytes this route takes when that is more than the mount's `bodyLimit` (which every
   * other route keeps): `POST /accounts/import` carries up to 1000 rows.
   */
  bodyLimit?: number;
  /** Strict schema of the JSON body; routes without one accept an empty body or `{}`. */
  body?: Schema;
  /** Strict schema of the query string (values are strings; coerce in the schema). */
  query?: QuerySchema;
  handler(ctx: RouteContext<z.output<Schema>, z.output<QuerySchema>>): Promise<RouteResult>;
}

/** Keeps the body and query types of each route tied to their schemas. */
export function defineRoute<Schema extends z.ZodType, QuerySchema extends z.ZodType = z.ZodType>(
  route: Route<Schema, QuerySchema>,
): Route {
  return route as unknown as Route;
}
