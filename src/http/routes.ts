import { defineRoute, type Route } from './route.js';
import { loginBody, refreshBody, registerBody, revokeBody } from './schemas.js';

const json = (status: number, body?: unknown) => ({ status, body });

/**
 * The route table: the single source of truth for every adapter. Paths are relative to the mount point
 * (`/auth` by default) and, in multi-group mode, to the group prefix.
 */
export const routes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/accounts',
    auth: 'none',
    body: registerBody,
    handler: async ({ auth, group, body, client }) => json(201, await auth.register({ ...body, group, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/login',
    auth: 'none',
    body: loginBody,
    handler: async ({ auth, group, body, client }) =>
      json(200, await auth.login({ group, email: body.email, password: body.password, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/token/refresh',
    auth: 'none',
    body: refreshBody,
    handler: async ({ auth, group, body, client }) => json(200, await auth.refresh({ ...body, group, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/logout',
    auth: 'none',
    body: refreshBody,
    handler: async ({ auth, group, body }) => (await auth.logout({ ...body, group }), json(204)),
  }),
  defineRoute({
    method: 'POST',
    path: '/token/revoke',
    auth: 'none',
    body: revokeBody,
    handler: async ({ auth, group, body }) => (await auth.revokeToken({ ...body, group }), json(200, {})),
  }),
  defineRoute({
    method: 'GET',
    path: '/.well-known/jwks.json',
    auth: 'none',
    handler: async ({ auth, group }) => ({
      status: 200,
      body: await auth.jwks({ group }),
      headers: { 'cache-control': 'public, max-age=300' },
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/account',
    auth: 'account',
    handler: async ({ auth, group, claims }) => json(200, await auth.getAccount({ group, accountId: claims.sub })),
  }),
  defineRoute({
    method: 'GET',
    path: '/account/sessions',
    auth: 'account',
    handler: async ({ auth, group, claims }) => {
      const data = await auth.listSessions({ group, accountId: claims.sub, currentSessionId: claims.sid });
      return json(200, { data, nextCursor: null });
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/sessions/{id}',
    auth: 'account',
    handler: async ({ auth, group, claims, params }) => {
      await auth.revokeSession({ group, accountId: claims.sub, sessionId: params.id! });
      return json(204);
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/sessions',
    auth: 'account',
    handler: async ({ auth, group, claims }) => {
      await auth.revokeOtherSessions({ group, accountId: claims.sub, currentSessionId: claims.sid });
      return json(204);
    },
  }),
];
