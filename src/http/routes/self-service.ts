import { z } from 'zod';
import { AuthError } from '../../core/errors.js';
import { defineRoute, type Route } from '../route.js';
import {
  changePasswordBody,
  deleteAccountBody,
  forgotPasswordBody,
  jsonPatchBody,
  pageQuery,
  profileBody,
  resetPasswordBody,
  tokenBody,
  unlockBody,
} from '../schemas.js';
import { json } from './json.js';

/** Email verification, password reset and change, profile, deletion, login history, panic and unlock. */
export const selfServiceRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/email/verify',
    auth: 'none',
    body: tokenBody,
    handler: async ({ auth, group, body, client }) => json(200, await auth.verifyEmail({ group, token: body.token, ...client })),
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
  defineRoute({
    method: 'PUT',
    path: '/account/panic',
    auth: 'account',
    handler: async ({ auth, group, claims }) => (await auth.panicLock({ group, accountId: claims.sub }), json(204)),
  }),
  defineRoute({
    method: 'POST',
    path: '/account/unlock',
    auth: 'none',
    body: unlockBody,
    handler: async ({ auth, group, body, client }) => json(200, await auth.unlockAccount({ group, ...body, ...client })),
  }),
];
