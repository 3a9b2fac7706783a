import { defineRoute, type Route } from '../route.js';
import { json } from './json.js';

/**
 * Administration of the group's accounts (api.md, "Administration"): every route needs a bearer token
 * whose account holds the `admin` role in the group, read from storage on each request. The group is
 * the one the request is in, so an account of any other group is `not_found`.
 */
export const adminRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/accounts/{id}',
    auth: 'admin',
    handler: async ({ auth, group, claims, params }) =>
      json(200, await auth.adminGetAccount({ group, accountId: params.id!, actorId: claims.sub })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/accounts/{id}',
    auth: 'admin',
    handler: async ({ auth, group, claims, params }) =>
      json(200, await auth.adminDeleteAccount({ group, accountId: params.id!, actorId: claims.sub })),
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts/{id}/lock',
    auth: 'admin',
    handler: async ({ auth, group, claims, params }) =>
      json(200, await auth.adminLockAccount({ group, accountId: params.id!, actorId: claims.sub })),
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts/{id}/unlock',
    auth: 'admin',
    handler: async ({ auth, group, claims, params }) =>
      json(200, await auth.adminUnlockAccount({ group, accountId: params.id!, actorId: claims.sub })),
  }),
];
