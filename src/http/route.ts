import type { z } from 'zod';
import type { Auth } from '../core/create-auth.js';
import type { AccessTokenClaims } from '../core/tokens/access-token.js';
import type { HttpRequest } from './types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler sees: validated input and, on authenticated routes, the verified token. */
export interface RouteContext<Body> {
  auth: Auth;
  group: string;
  body: Body;
  params: Record<string, string>;
  request: HttpRequest;
  client: { ip: string | null; userAgent: string | null };
  /** Present on routes with `auth: 'account'`. */
  claims: AccessTokenClaims;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route<Schema extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  /** Relative to the mount point (and group prefix), with `{name}` parameters. */
  path: string;
  /** `account`: a valid bearer token of the group whose session is alive. */
  auth: 'none' | 'account';
  /** Strict schema of the JSON body; routes without one accept an empty body or `{}`. */
  body?: Schema;
  handler(ctx: RouteContext<z.output<Schema>>): Promise<RouteResult>;
}

/** Keeps the body type of each route tied to its schema. */
export function defineRoute<Schema extends z.ZodType>(route: Route<Schema>): Route {
  return route as unknown as Route;
}
