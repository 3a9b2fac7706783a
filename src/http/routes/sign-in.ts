import { AuthError } from '../../core/errors.js';
import { defineRoute, type Route } from '../route.js';
import { account } from '../responses/account.js';
import { sessionList } from '../responses/sessions.js';
import { introspection, jwks, revoked, tokenResponse } from '../responses/tokens.js';
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
    operationId: 'register',
    summary: 'Register an account (and send the verification email)',
    tags: ['Sign-in'],
    auth: 'none',
    body: registerBody,
    responses: { 201: account },
    errors: ['registration_closed', 'rate_limited'],
    handler: async ({ auth, group, body, client }) => json(201, await auth.register({ ...body, group, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/login',
    operationId: 'login',
    summary: 'Sign in with email and password (and a second factor when one is on)',
    tags: ['Sign-in'],
    auth: 'none',
    body: loginBody,
    responses: { 200: tokenResponse },
    errors: ['invalid_credentials', 'two_factor_required', 'invalid_two_factor', 'account_locked', 'email_not_verified', 'rate_limited'],
    handler: async ({ auth, group, body, client }) => json(200, await auth.login({ group, ...body, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/login/two-factor',
    operationId: 'completeTwoFactorLogin',
    summary: 'Complete a sign-in with a second factor, or have a code sent (202)',
    tags: ['Sign-in'],
    auth: 'none',
    body: twoFactorLoginBody,
    responses: { 200: tokenResponse, 202: null },
    errors: ['invalid_token', 'invalid_two_factor', 'account_locked', 'rate_limited', 'mail_delivery_failed', 'sms_delivery_failed'],
    handler: async ({ auth, group, body, client }) => {
      const result = await auth.completeTwoFactorLogin({ group, ...body, ...client });
      // Only a code was asked for: it is on its way; come back with it and the same challenge.
      return 'status' in result ? json(202) : json(200, result);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/token/refresh',
    operationId: 'refresh',
    summary: 'Exchange a refresh token for new tokens (rotation)',
    tags: ['Sign-in'],
    auth: 'none',
    body: refreshBody,
    responses: { 200: tokenResponse },
    errors: ['unauthenticated', 'refresh_token_reused', 'refresh_token_stale', 'rate_limited'],
    handler: async ({ auth, group, body, client }) => json(200, await auth.refresh({ ...body, group, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/logout',
    operationId: 'logout',
    summary: 'End the session of a refresh token',
    tags: ['Sign-in'],
    auth: 'none',
    body: refreshBody,
    responses: { 204: null },
    errors: ['rate_limited'],
    handler: async ({ auth, group, body, client }) => (await auth.logout({ ...body, group, ...client }), json(204)),
  }),
  defineRoute({
    method: 'POST',
    path: '/token/revoke',
    operationId: 'revokeToken',
    summary: 'Revoke a token (RFC 7009)',
    tags: ['Sign-in'],
    auth: 'none',
    oauth: true,
    body: revokeBody,
    responses: { 200: revoked },
    errors: ['rate_limited'],
    handler: async ({ auth, group, body, client }) => (await auth.revokeToken({ ...body, group, ...client }), json(200, {})),
  }),
  defineRoute({
    method: 'POST',
    path: '/token/introspect',
    operationId: 'introspectToken',
    summary: 'Introspect a token (RFC 7662)',
    tags: ['Sign-in'],
    auth: 'admin',
    oauth: true,
    body: introspectBody,
    responses: { 200: introspection },
    errors: [],
    handler: async ({ auth, group, body }) => json(200, await auth.introspectToken({ ...body, group })),
  }),
  defineRoute({
    method: 'GET',
    path: '/.well-known/jwks.json',
    operationId: 'getJwks',
    summary: 'The public keys that verify access tokens',
    tags: ['Sign-in'],
    auth: 'none',
    responses: { 200: jwks },
    errors: [],
    handler: async ({ auth, group }) => ({
      status: 200,
      body: await auth.jwks({ group }),
      headers: { 'cache-control': 'public, max-age=300' },
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/account',
    operationId: 'getAccount',
    summary: 'The signed-in account',
    tags: ['Account'],
    auth: 'account',
    responses: { 200: account },
    errors: ['not_found'],
    // The account read with the session when the token was checked: no second read.
    handler: async ({ account: found }) => {
      if (!found) throw new AuthError('not_found', 'No such account.');
      return json(200, found);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/account/sessions',
    operationId: 'listSessions',
    summary: 'The account’s live sessions',
    tags: ['Sessions'],
    auth: 'account',
    responses: { 200: sessionList },
    errors: [],
    handler: async ({ auth, group, claims }) => {
      const data = await auth.listSessions({ group, accountId: claims.sub, currentSessionId: claims.sid });
      return json(200, { data, nextCursor: null });
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/sessions/{id}',
    operationId: 'revokeSession',
    summary: 'Revoke one of the account’s sessions',
    tags: ['Sessions'],
    auth: 'account',
    responses: { 204: null },
    errors: ['not_found'],
    handler: async ({ auth, group, claims, params }) => {
      await auth.revokeSession({ group, accountId: claims.sub, sessionId: params.id! });
      return json(204);
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/sessions',
    operationId: 'revokeOtherSessions',
    summary: 'Revoke every session but the current one',
    tags: ['Sessions'],
    auth: 'account',
    responses: { 204: null },
    errors: [],
    handler: async ({ auth, group, claims }) => {
      await auth.revokeOtherSessions({ group, accountId: claims.sub, currentSessionId: claims.sid });
      return json(204);
    },
  }),
];
