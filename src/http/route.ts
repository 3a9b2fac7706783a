import type { z } from 'zod';
import type { Auth } from '../core/create-auth.js';
import type { AuthErrorCode } from '../core/errors.js';
import type { AccountResource } from '../core/internal/accounts/account-resource.js';
import type { AccessTokenClaims } from '../core/internal/tokens/access-token.js';
import type { Tag } from './openapi/tags.js';
import type { JsonPatch } from './schemas.js';
import type { HttpRequest } from './types.js';

/** The methods of the route table (`HEAD` is served wherever `GET` is). */
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
  /**
   * On routes with `auth: 'account'` or `'admin'`, the token's account, read together with its session
   * when the token was checked: whatever its status, or null when it is gone. Null on `auth: 'none'`.
   */
  account: AccountResource | null;
  /** The `x-otp` header (a current second factor), on routes with `otp: true`; undefined elsewhere. */
  otp: string | undefined;
}

/** What a handler answers: the status, and the JSON body and headers when there are any. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The statuses a route answers with when it succeeds. */
export type SuccessStatus = 200 | 201 | 202 | 204;

/**
 * One route of the table: how it is matched, what it takes, who may call it, what it answers, and the
 * handler. The server runs on these fields, and the OpenAPI document is built from them.
 */
export interface Route<
  Schema extends z.ZodType = z.ZodType,
  QuerySchema extends z.ZodType = z.ZodType,
  Patch extends boolean = boolean,
> {
  method: HttpMethod;
  /** Relative to the mount point (and group prefix), with `{name}` parameters. */
  path: string;
  /** The OpenAPI `operationId`: camelCase, unique in the table. */
  operationId: string;
  /** One line saying what the route does (the OpenAPI `summary`). */
  summary: string;
  /** The areas of the API the route belongs to (OpenAPI tags). */
  tags: readonly Tag[];
  /**
   * `account`: a valid bearer token of the group whose session is alive. `admin`: that, and the
   * account holds the `admin` role in the group, read from storage (with the session) on every request.
   */
  auth: 'none' | 'account' | 'admin';
  /**
   * A route of the root group's administrators (`/groups`): served only in multi-group mode (404
   * otherwise), and only to admins of the `rootGroup` option's group (403 in every other group).
   * Needs `auth: 'admin'`.
   */
  root?: boolean;
  /**
   * `webauthn`: the route works only when the app configures passkeys (the `webauthn` option); without
   * it the route answers 404 `not_found` before anything else is checked, and the OpenAPI document
   * leaves it out.
   */
  requires?: 'webauthn';
  /**
   * An OAuth endpoint (RFC 7009, RFC 7662): it also takes form-encoded bodies
   * (`application/x-www-form-urlencoded`), and answers errors in the RFC 6749 §5.2 format.
   */
  oauth?: boolean;
  /**
   * The route also takes an RFC 6902 JSON Patch (`application/json-patch+json`, `jsonPatchBody`) in
   * place of its `body`; the content type and the body's shape must agree.
   */
  jsonPatch?: Patch;
  /** The route reads a current second factor from the `x-otp` header (`RouteContext.otp`). */
  otp?: boolean;
  /**
   * Largest body in bytes this route takes when that is more than the mount's `bodyLimit` (which every
   * other route keeps): `POST /accounts/import` carries up to 1000 rows.
   */
  bodyLimit?: number;
  /** Strict schema of the JSON body; routes without one accept an empty body or `{}`. */
  body?: Schema;
  /** Strict schema of the query string (values are strings; coerce in the schema). */
  query?: QuerySchema;
  /**
   * What the route answers when it succeeds: each status with the schema of its body (a component of
   * `src/http/openapi/components.ts`), or null for an empty body.
   */
  responses: Readonly<Partial<Record<SuccessStatus, z.ZodType | null>>>;
  /**
   * The error codes the route's own work can answer. Those every route of its kind can answer are
   * added by the OpenAPI document (`routeErrors`): a bad body or query, a missing or refused token,
   * an unknown group, a server error.
   */
  errors: readonly AuthErrorCode[];
  handler(
    ctx: RouteContext<z.output<Schema> | (Patch extends true ? JsonPatch : never), z.output<QuerySchema>>,
  ): Promise<RouteResult>;
}

/** Keeps the body and query types of each route tied to their schemas. */
export function defineRoute<Schema extends z.ZodType, QuerySchema extends z.ZodType = z.ZodType, Patch extends boolean = false>(
  route: Route<Schema, QuerySchema, Patch>,
): Route {
  return route as unknown as Route;
}
