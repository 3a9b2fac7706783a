import { AuthError } from '../../core/errors.js';
import { defineRoute, type Route } from '../route.js';
import {
  addPhoneBody,
  proofBody,
  confirmTotpBody,
  otpChannel,
  regenerateRecoveryCodesBody,
  sendOtpBody,
  verifyOtpBody,
} from '../schemas.js';
import { json } from './json.js';

/** TOTP, recovery codes, phone and email/SMS codes. */
export const twoFactorRoutes: Route[] = [
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
      return json(200, await auth.confirmTotp({ group, accountId: claims.sub, ...body, otp, ...client }));
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/two-factor/totp',
    auth: 'account',
    body: proofBody,
    handler: async ({ auth, group, claims, body, request, client }) =>
      json(200, await auth.disableTotp({ group, accountId: claims.sub, ...body, otp: request.header('x-otp'), ...client })),
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
    body: proofBody,
    handler: async ({ auth, group, claims, params, body, request, client }) => {
      // An unknown channel is an unknown resource, answered like any unknown path.
      const channel = otpChannel.safeParse(params.channel);
      if (!channel.success) throw new AuthError('not_found', 'No such route.');
      const otp = request.header('x-otp');
      return json(200, await auth.disableChannel({ group, accountId: claims.sub, channel: channel.data, ...body, otp, ...client }));
    },
  }),
];
