import { defineRoute, type Route } from './route.js';
import { AuthError } from '../core/errors.js';
import {
  changePasswordBody,
  deleteAccountBody,
  forgotPasswordBody,
  jsonPatchBody,
  loginBody,
  pageQuery,
  profileBody,
  refreshBody,
  registerBody,
  resetPasswordBody,
  revokeBody,
  tokenBody,
} from './schemas.js';
import { z } from 'zod';

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
  defineRoute({
    method: 'POST',
    path: '/email/verify',
    auth: 'none',
    body: tokenBody,
    handler: async ({ auth, group, body }) => json(200, await auth.verifyEmail({ group, token: body.token })),
  }),
  defineRoute({
    method: 'POST',
    path: '/account/email/verification',
    auth: 'account',
    handler: async ({ auth, group, claims }) => {
      await auth.sendVerificationEmail({ group, accountId: claims.sub });
      return json(202);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/password/forgot',
    auth: 'none',
    body: forgotPasswordBody,
    // Resolves once the input is valid; the lookup and the mail run on without the caller.
    handler: async ({ auth, group, body, client }) => (await auth.requestPasswordReset({ group, ...body, ...client }), json(202)),
  }),
  defineRoute({
    method: 'POST',
    path: '/password/reset',
    auth: 'none',
    body: resetPasswordBody,
    handler: async ({ auth, group, body, client }) => {
      await auth.resetPassword({ group, ...body, ...client });
      return json(200, { success: true });
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/account',
    auth: 'account',
    body: z.union([profileBody, jsonPatchBody]),
    handler: async ({ auth, group, claims, body, request }) => {
      const isPatchDocument = /^application\/json-patch\+json\s*(;|$)/i.test(request.header('content-type') ?? '');
      if (isPatchDocument !== Array.isArray(body)) {
        throw new AuthError('validation_failed', 'A JSON Patch array needs Content-Type: application/json-patch+json.', {
          details: [{ path: '', message: 'body and content type do not match' }],
        });
      }
      return json(200, await auth.updateProfile({ group, accountId: claims.sub, patch: body }));
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account',
    auth: 'account',
    body: deleteAccountBody,
    handler: async ({ auth, group, claims, body, request, client }) => {
      const otp = request.header('x-otp');
      const input = { group, accountId: claims.sub, password: body.password, otp, ...client };
      return json(202, await auth.deleteAccount(input));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/account/password',
    auth: 'account',
    body: changePasswordBody,
    handler: async ({ auth, group, claims, body, client }) =>
      json(
        200,
        await auth.changePassword({
          group,
          accountId: claims.sub,
          sessionId: claims.sid,
          current: body.current,
          next: body.new,
          ...client,
        }),
      ),
  }),
  defineRoute({
    method: 'GET',
    path: '/account/logins',
    auth: 'account',
    query: pageQuery,
    handler: async ({ auth, group, claims, query }) =>
      json(200, await auth.listLogins({ group, accountId: claims.sub, limit: query.limit, cursor: query.cursor ?? null })),
  }),
];
