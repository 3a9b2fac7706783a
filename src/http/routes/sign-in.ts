import { defineRoute, type Route } from '../route.js';
import {
  introspectBody,
  loginBody,
  refreshBody,
  registerBody,
  revokeBody,
  twoFactorLoginBody,
} from '../schemas.js';
import { json } from './json.js';

/** Registration, login, tokens, JWKS and sessions. */
export const signInRoutes: Route[] = [
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
    handler: async ({ auth, group, body, client }) => json(200, await auth.login({ group, ...body, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/login/two-factor',
    auth: 'none',
    body: twoFactorLoginBody,
    handler: async ({ auth, group, body, client }) => {
      const result = await auth.completeTwoFactorLogin({ group, ...body, ...client });
      // Only a code was asked for: it is on its way; come back with it and the same challenge.
      return 'status' in result ? json(202) : json(200, result);
    },
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
    handler: async ({ auth, group, body, client }) => (await auth.logout({ ...body, group, ...client }), json(204)),
  }),
  defineRoute({
    method: 'POST',
    path: '/token/revoke',
    auth: 'none',
    oauth: true,
    body: revokeBody,
    handler: async ({ auth, group, body, client }) => (await auth.revokeToken({ ...body, group, ...client }), json(200, {})),
  }),
  defineRoute({
    method: 'POST',
    path: '/token/introspect',
    auth: 'admin',
    oauth: true,
    body: introspectBody,
    handler: async ({ auth, group, body }) => json(200, await auth.introspectToken({ ...body, group })),
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
