import { AuthError } from '../../core/errors.js';
import { defineRoute, type Route } from '../route.js';
import { account, verifiedChannel } from '../responses/account.js';
import { recoveryCodes, totpEnrolment } from '../responses/two-factor.js';
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
    operationId: 'enrolTotp',
    summary: 'Start setting up an authenticator app',
    tags: ['Two-factor'],
    auth: 'account',
    responses: { 200: totpEnrolment },
    errors: ['not_found', 'account_locked'],
    handler: async ({ auth, group, claims }) => json(200, await auth.enrolTotp({ group, accountId: claims.sub })),
  }),
  defineRoute({
    method: 'POST',
    path: '/account/two-factor/totp/verify',
    operationId: 'confirmTotp',
    summary: 'Confirm the authenticator app with a code: TOTP is on',
    tags: ['Two-factor'],
    auth: 'account',
    otp: true,
    body: confirmTotpBody,
    responses: { 200: recoveryCodes },
    errors: ['invalid_two_factor', 'invalid_credentials', 'rate_limited', 'not_found', 'account_locked'],
    handler: async ({ auth, group, claims, body, otp, client }) =>
      json(200, await auth.confirmTotp({ group, accountId: claims.sub, ...body, otp, ...client })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/two-factor/totp',
    operationId: 'disableTotp',
    summary: 'Turn the authenticator app off (`x-otp`)',
    tags: ['Two-factor'],
    auth: 'account',
    otp: true,
    body: proofBody,
    responses: { 200: account },
    errors: ['invalid_two_factor', 'rate_limited', 'not_found', 'account_locked'],
    handler: async ({ auth, group, claims, body, otp, client }) =>
      json(200, await auth.disableTotp({ group, accountId: claims.sub, ...body, otp, ...client })),
  }),
  defineRoute({
    method: 'PUT',
    path: '/account/recovery-codes',
    operationId: 'regenerateRecoveryCodes',
    summary: 'Replace the recovery codes',
    tags: ['Two-factor'],
    auth: 'account',
    otp: true,
    body: regenerateRecoveryCodesBody,
    responses: { 200: recoveryCodes },
    errors: ['invalid_two_factor', 'invalid_credentials', 'rate_limited', 'not_found', 'account_locked'],
    handler: async ({ auth, group, claims, body, otp, client }) =>
      json(200, await auth.regenerateRecoveryCodes({ group, accountId: claims.sub, otp, password: body.password, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/account/phone',
    operationId: 'addPhone',
    summary: 'Add a phone number and text it a code',
    tags: ['Two-factor'],
    auth: 'account',
    otp: true,
    body: addPhoneBody,
    responses: { 202: null },
    errors: ['invalid_two_factor', 'rate_limited', 'sms_delivery_failed', 'not_found', 'account_locked'],
    handler: async ({ auth, group, claims, body, otp, client }) => {
      await auth.addPhone({ group, accountId: claims.sub, ...body, otp, ...client });
      return json(202);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/account/otp/send',
    operationId: 'sendChannelCode',
    summary: 'Send a code by email or SMS',
    tags: ['Two-factor'],
    auth: 'account',
    body: sendOtpBody,
    responses: { 202: null },
    errors: ['rate_limited', 'mail_delivery_failed', 'sms_delivery_failed', 'not_found', 'account_locked'],
    handler: async ({ auth, group, claims, body, client }) => {
      await auth.sendChannelCode({ group, accountId: claims.sub, channel: body.channel, ...client });
      return json(202);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/account/otp/verify',
    operationId: 'verifyChannel',
    summary: 'Prove a channel with its code: it becomes a second factor',
    tags: ['Two-factor'],
    auth: 'account',
    otp: true,
    body: verifyOtpBody,
    responses: { 200: verifiedChannel },
    errors: ['invalid_two_factor', 'invalid_credentials', 'rate_limited', 'not_found', 'account_locked'],
    handler: async ({ auth, group, claims, body, otp, client }) =>
      json(200, await auth.verifyChannel({ group, accountId: claims.sub, sessionId: claims.sid, ...body, otp, ...client })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/otp/{channel}',
    operationId: 'disableChannel',
    summary: 'Turn email or SMS codes off (`x-otp`)',
    tags: ['Two-factor'],
    auth: 'account',
    otp: true,
    body: proofBody,
    responses: { 200: account },
    errors: ['invalid_two_factor', 'rate_limited', 'not_found', 'account_locked'],
    handler: async ({ auth, group, claims, params, body, otp, client }) => {
      // An unknown channel is an unknown resource, answered like any unknown path.
      const channel = otpChannel.safeParse(params.channel);
      if (!channel.success) throw new AuthError('not_found', 'No such route.');
      return json(200, await auth.disableChannel({ group, accountId: claims.sub, channel: channel.data, ...body, otp, ...client }));
    },
  }),
];
