import { z } from 'zod';
import type { ImportAccountRow } from '../../core/accounts/import-accounts.js';
import { AuthError } from '../../core/errors.js';
import { defineRoute, type Route } from '../route.js';
import { adminAccountBody, importAccountsBody, jsonPatchBody } from '../schemas.js';
import { pageQuery } from '../schemas.js';
import { accountSearchQuery } from '../schemas.js';
import { json } from './json.js';

/** 1000 rows of up to about 2 KiB each (a long email, names, 32 roles, a hash): more than any real import needs. */
const IMPORT_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * Administration of the group's accounts (api.md, "Administration"): every route needs a bearer token
 * whose account holds the `admin` role in the group, read from storage on each request. The group is
 * the one the request is in, so an account of any other group is `not_found`.
 */
export const adminRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/accounts',
    auth: 'admin',
    query: accountSearchQuery,
    handler: async ({ auth, group, query }) => json(200, await auth.searchAccounts({ group, ...query })),
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts/import',
    auth: 'admin',
    body: importAccountsBody,
    bodyLimit: IMPORT_BODY_LIMIT,
    handler: async ({ auth, group, claims, body, client }) =>
      json(200, await auth.importAccounts({ group, actorId: claims.sub, ip: client.ip, rows: body as ImportAccountRow[] })),
  }),
  defineRoute({
    method: 'GET',
    path: '/accounts/{id}',
    auth: 'admin',
    handler: async ({ auth, group, claims, params }) =>
      json(200, await auth.adminGetAccount({ group, accountId: params.id!, actorId: claims.sub })),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/accounts/{id}',
    auth: 'admin',
    body: z.union([adminAccountBody, jsonPatchBody]),
    handler: async ({ auth, group, claims, params, body, request, client }) => {
      const isPatchDocument = /^application\/json-patch\+json\s*(;|$)/i.test(request.header('content-type') ?? '');
      if (isPatchDocument !== Array.isArray(body)) {
        throw new AuthError('validation_failed', 'A JSON Patch array needs Content-Type: application/json-patch+json.', {
          details: [{ path: '', message: 'body and content type do not match' }],
        });
      }
      return json(200, await auth.adminUpdateAccount({ group, accountId: params.id!, actorId: claims.sub, ip: client.ip, patch: body }));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts/{id}/support-session',
    auth: 'admin',
    handler: async ({ auth, group, claims, params, client }) =>
      json(200, await auth.startSupportSession({ group, accountId: params.id!, actorId: claims.sub, ...client })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/accounts/{id}',
    auth: 'admin',
    handler: async ({ auth, group, claims, params, client }) =>
      json(200, await auth.adminDeleteAccount({ group, accountId: params.id!, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts/{id}/lock',
    auth: 'admin',
    handler: async ({ auth, group, claims, params, client }) =>
      json(200, await auth.adminLockAccount({ group, accountId: params.id!, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts/{id}/unlock',
    auth: 'admin',
    handler: async ({ auth, group, claims, params, client }) =>
      json(200, await auth.adminUnlockAccount({ group, accountId: params.id!, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'GET',
    path: '/audit',
    auth: 'admin',
    query: pageQuery,
    handler: async ({ auth, group, query }) =>
      json(200, await auth.listAuditLog({ group, limit: query.limit, cursor: query.cursor ?? null })),
  }),
];
