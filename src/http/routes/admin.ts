import type { ImportAccountRow } from '../../core/accounts/import-accounts.js';
import { defineRoute, type Route } from '../route.js';
import { account, accountPage } from '../responses/account.js';
import { auditPage, importResult } from '../responses/admin.js';
import { supportSession } from '../responses/tokens.js';
import { accountSearchQuery, adminAccountBody, importAccountsBody, pageQuery } from '../schemas.js';
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
    operationId: 'searchAccounts',
    summary: 'Search the group’s accounts',
    tags: ['Administration'],
    auth: 'admin',
    query: accountSearchQuery,
    responses: { 200: accountPage },
    errors: [],
    handler: async ({ auth, group, query }) => json(200, await auth.searchAccounts({ group, ...query })),
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts/import',
    operationId: 'importAccounts',
    summary: 'Import up to 1000 accounts; each row succeeds or fails on its own',
    tags: ['Administration'],
    auth: 'admin',
    body: importAccountsBody,
    bodyLimit: IMPORT_BODY_LIMIT,
    responses: { 200: importResult },
    errors: [],
    handler: async ({ auth, group, claims, body, client }) =>
      json(200, await auth.importAccounts({ group, actorId: claims.sub, ip: client.ip, rows: body as ImportAccountRow[] })),
  }),
  defineRoute({
    method: 'GET',
    path: '/accounts/{id}',
    operationId: 'adminGetAccount',
    summary: 'An account of the group',
    tags: ['Administration'],
    auth: 'admin',
    responses: { 200: account },
    errors: ['not_found'],
    handler: async ({ auth, group, claims, params }) =>
      json(200, await auth.adminGetAccount({ group, accountId: params.id!, actorId: claims.sub })),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/accounts/{id}',
    operationId: 'adminUpdateAccount',
    summary: 'Change an account’s name, roles or email (merge or JSON Patch)',
    tags: ['Administration'],
    auth: 'admin',
    body: adminAccountBody,
    jsonPatch: true,
    responses: { 200: account },
    errors: ['not_found', 'conflict'],
    handler: async ({ auth, group, claims, params, body, client }) =>
      json(200, await auth.adminUpdateAccount({ group, accountId: params.id!, actorId: claims.sub, ip: client.ip, patch: body })),
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts/{id}/support-session',
    operationId: 'startSupportSession',
    summary: 'Act as an account that allows support login (15 minutes, no refresh)',
    tags: ['Administration'],
    auth: 'admin',
    responses: { 200: supportSession },
    errors: ['not_found', 'account_locked'],
    handler: async ({ auth, group, claims, params, client }) =>
      json(200, await auth.startSupportSession({ group, accountId: params.id!, actorId: claims.sub, ...client })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/accounts/{id}',
    operationId: 'adminDeleteAccount',
    summary: 'Delete an account at once, with all its credentials and sessions',
    tags: ['Administration'],
    auth: 'admin',
    responses: { 200: account },
    errors: ['not_found', 'conflict'],
    handler: async ({ auth, group, claims, params, client }) =>
      json(200, await auth.adminDeleteAccount({ group, accountId: params.id!, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts/{id}/lock',
    operationId: 'adminLockAccount',
    summary: 'Lock an account and end its sessions',
    tags: ['Administration'],
    auth: 'admin',
    responses: { 200: account },
    errors: ['not_found'],
    handler: async ({ auth, group, claims, params, client }) =>
      json(200, await auth.adminLockAccount({ group, accountId: params.id!, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts/{id}/unlock',
    operationId: 'adminUnlockAccount',
    summary: 'Unlock an account',
    tags: ['Administration'],
    auth: 'admin',
    responses: { 200: account },
    errors: ['not_found'],
    handler: async ({ auth, group, claims, params, client }) =>
      json(200, await auth.adminUnlockAccount({ group, accountId: params.id!, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'GET',
    path: '/audit',
    operationId: 'listAuditLog',
    summary: 'The group’s audit log',
    tags: ['Administration'],
    auth: 'admin',
    query: pageQuery,
    responses: { 200: auditPage },
    errors: [],
    handler: async ({ auth, group, query }) =>
      json(200, await auth.listAuditLog({ group, limit: query.limit, cursor: query.cursor ?? null })),
  }),
];
