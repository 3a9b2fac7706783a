import { defineRoute, type Route } from '../route.js';
import { account, deletionJob, success } from '../responses/account.js';
import { loginPage } from '../responses/sessions.js';
import { tokenResponse } from '../responses/tokens.js';
import {
  changePasswordBody,
  deleteAccountBody,
  forgotPasswordBody,
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
    operationId: 'verifyEmail',
    summary: 'Verify the email address with the token mailed to it',
    tags: ['Account'],
    auth: 'none',
    body: tokenBody,
    responses: { 200: account },
    errors: ['invalid_token', 'rate_limited'],
    handler: async ({ auth, group, body, client }) => json(200, await auth.verifyEmail({ group, token: body.token, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/account/email/verification',
    operationId: 'sendVerificationEmail',
    summary: 'Send a new verification email',
    tags: ['Account'],
    auth: 'account',
    responses: { 202: null },
    errors: ['not_found', 'rate_limited', 'mail_delivery_failed'],
    handler: async ({ auth, group, claims }) => {
      await auth.sendVerificationEmail({ group, accountId: claims.sub });
      return json(202);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/password/forgot',
    operationId: 'requestPasswordReset',
    summary: 'Email a password reset token (202 whether or not the address has an account)',
    tags: ['Account'],
    auth: 'none',
    body: forgotPasswordBody,
    responses: { 202: null },
    errors: ['rate_limited'],
    // Resolves once the input is valid; the lookup and the mail run on without the caller.
    handler: async ({ auth, group, body, client }) => (await auth.requestPasswordReset({ group, ...body, ...client }), json(202)),
  }),
  defineRoute({
    method: 'POST',
    path: '/password/reset',
    operationId: 'resetPassword',
    summary: 'Set a new password with a reset token',
    tags: ['Account'],
    auth: 'none',
    body: resetPasswordBody,
    responses: { 200: success },
    errors: ['invalid_token', 'account_locked', 'two_factor_required', 'invalid_two_factor', 'rate_limited'],
    handler: async ({ auth, group, body, client }) => {
      await auth.resetPassword({ group, ...body, ...client });
      return json(200, { success: true });
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/account',
    operationId: 'updateProfile',
    summary: 'Update the profile (merge or JSON Patch)',
    tags: ['Account'],
    auth: 'account',
    body: profileBody,
    jsonPatch: true,
    responses: { 200: account },
    errors: ['not_found'],
    handler: async ({ auth, group, claims, body }) => json(200, await auth.updateProfile({ group, accountId: claims.sub, patch: body })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account',
    operationId: 'deleteAccount',
    summary: 'Delete the account (password, or `x-otp` once a second factor is on)',
    tags: ['Account'],
    auth: 'account',
    otp: true,
    body: deleteAccountBody,
    responses: { 202: deletionJob },
    errors: ['invalid_credentials', 'invalid_two_factor', 'rate_limited', 'conflict', 'not_found', 'account_locked'],
    handler: async ({ auth, group, claims, body, otp, client }) =>
      json(202, await auth.deleteAccount({ group, accountId: claims.sub, password: body.password, otp, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/account/password',
    operationId: 'changePassword',
    summary: 'Change the password; other sessions end',
    tags: ['Account'],
    auth: 'account',
    body: changePasswordBody,
    responses: { 200: account },
    errors: ['invalid_credentials', 'rate_limited', 'account_locked', 'not_found'],
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
    operationId: 'listLogins',
    summary: 'The account’s login history, failures included',
    tags: ['Account'],
    auth: 'account',
    query: pageQuery,
    responses: { 200: loginPage },
    errors: [],
    handler: async ({ auth, group, claims, query }) =>
      json(200, await auth.listLogins({ group, accountId: claims.sub, limit: query.limit, cursor: query.cursor ?? null })),
  }),
  defineRoute({
    method: 'PUT',
    path: '/account/panic',
    operationId: 'panicLock',
    summary: 'Lock the account and end every session',
    tags: ['Account'],
    auth: 'account',
    responses: { 204: null },
    errors: ['not_found'],
    handler: async ({ auth, group, claims }) => (await auth.panicLock({ group, accountId: claims.sub }), json(204)),
  }),
  defineRoute({
    method: 'POST',
    path: '/account/unlock',
    operationId: 'unlockAccount',
    summary: 'Unlock a panic-locked account with a recovery code and a new password',
    tags: ['Account'],
    auth: 'none',
    body: unlockBody,
    responses: { 200: tokenResponse },
    errors: ['invalid_credentials', 'rate_limited'],
    handler: async ({ auth, group, body, client }) => json(200, await auth.unlockAccount({ group, ...body, ...client })),
  }),
];
