import { defineRoute, type Route } from './route.js';
import { AuthError } from '../core/errors.js';
import {
  addPhoneBody,
  changePasswordBody,
  confirmTotpBody,
  deleteAccountBody,
  forgotPasswordBody,
  jsonPatchBody,
  loginBody,
  otpChannel,
  pageQuery,
  profileBody,
  refreshBody,
  regenerateRecoveryCodesBody,
  registerBody,
  resetPasswordBody,
  revokeBody,
  sendOtpBody,
  tokenBody,
  twoFactorLoginBody,
  unlockBody,
  verifyOtpBody,
  webauthnLoginBody,
  webauthnLoginOptionsBody,
  webauthnRegistrationBody,
  webauthnRenameBody,
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
  defineRoute({
    method: 'POST',
    path: '/account/two-factor/totp',
    auth: 'account',
    handler: async ({ auth, group, claims }) => json(200, await auth.enrolTotp({ group, accountId: claims.sub })),
  }),
  defineRoute({
    method: 'POST',
    path: '/account/two-factor/totp/verify',
    auth: 'account',
    body: confirmTotpBody,
    handler: async ({ auth, group, claims, body, request, client }) => {
      const otp = request.header('x-otp');
      return json(200, await auth.confirmTotp({ group, accountId: claims.sub, sessionId: claims.sid, ...body, otp, ...client }));
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/two-factor/totp',
    auth: 'account',
    handler: async ({ auth, group, claims, request, client }) =>
      json(200, await auth.disableTotp({ group, accountId: claims.sub, otp: request.header('x-otp'), ...client })),
  }),
  defineRoute({
    method: 'PUT',
    path: '/account/recovery-codes',
    auth: 'account',
    body: regenerateRecoveryCodesBody,
    handler: async ({ auth, group, claims, body, request, client }) => {
      const input = { group, accountId: claims.sub, otp: request.header('x-otp'), password: body.password, ...client };
      return json(200, await auth.regenerateRecoveryCodes(input));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/account/phone',
    auth: 'account',
    body: addPhoneBody,
    handler: async ({ auth, group, claims, body, request, client }) => {
      const otp = request.header('x-otp');
      await auth.addPhone({ group, accountId: claims.sub, ...body, otp, ...client });
      return json(202);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/account/otp/send',
    auth: 'account',
    body: sendOtpBody,
    handler: async ({ auth, group, claims, body, client }) => {
      await auth.sendChannelCode({ group, accountId: claims.sub, channel: body.channel, ...client });
      return json(202);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/account/otp/verify',
    auth: 'account',
    body: verifyOtpBody,
    handler: async ({ auth, group, claims, body, request, client }) => {
      const otp = request.header('x-otp');
      return json(200, await auth.verifyChannel({ group, accountId: claims.sub, sessionId: claims.sid, ...body, otp, ...client }));
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/otp/{channel}',
    auth: 'account',
    handler: async ({ auth, group, claims, params, request }) => {
      // An unknown channel is an unknown resource, answered like any unknown path.
      const channel = otpChannel.safeParse(params.channel);
      if (!channel.success) throw new AuthError('not_found', 'No such route.');
      const otp = request.header('x-otp');
      return json(200, await auth.disableChannel({ group, accountId: claims.sub, channel: channel.data, otp }));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/account/webauthn/register/options',
    auth: 'account',
    handler: async ({ auth, group, claims }) =>
      json(200, await auth.webauthnRegistrationOptions({ group, accountId: claims.sub })),
  }),
  defineRoute({
    method: 'POST',
    path: '/account/webauthn/register/verify',
    auth: 'account',
    body: webauthnRegistrationBody,
    handler: async ({ auth, group, claims, body, request, client }) => {
      const otp = request.header('x-otp');
      return json(200, await auth.verifyWebauthnRegistration({ group, accountId: claims.sub, sessionId: claims.sid, ...body, otp, ...client }));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/account/webauthn/credentials',
    auth: 'account',
    handler: async ({ auth, group, claims }) =>
      json(200, { data: await auth.listWebauthnCredentials({ group, accountId: claims.sub }), nextCursor: null }),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/account/webauthn/credentials/{id}',
    auth: 'account',
    body: webauthnRenameBody,
    handler: async ({ auth, group, claims, params, body }) =>
      json(200, await auth.renameWebauthnCredential({ group, accountId: claims.sub, credentialId: params.id!, name: body.name })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/webauthn/credentials/{id}',
    auth: 'account',
    handler: async ({ auth, group, claims, params }) => {
      await auth.deleteWebauthnCredential({ group, accountId: claims.sub, credentialId: params.id! });
      return json(204);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/webauthn/login/options',
    auth: 'none',
    body: webauthnLoginOptionsBody,
    handler: async ({ auth, group, body }) => json(200, await auth.webauthnLoginOptions({ group, email: body.email })),
  }),
  defineRoute({
    method: 'POST',
    path: '/webauthn/login/verify',
    auth: 'none',
    body: webauthnLoginBody,
    handler: async ({ auth, group, body, client }) => json(200, await auth.verifyWebauthnLogin({ group, ...body, ...client })),
  }),
];
