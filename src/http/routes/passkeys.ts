import { defineRoute, type Route } from '../route.js';
import { creationOptions, passkey, passkeyList, registeredPasskey, requestOptions } from '../responses/passkeys.js';
import { tokenResponse } from '../responses/tokens.js';
import {
  proofBody,
  webauthnLoginBody,
  webauthnLoginOptionsBody,
  webauthnRegistrationBody,
  webauthnRenameBody,
} from '../schemas.js';
import { json } from './json.js';

/** Passkeys (WebAuthn): registration, credentials, sign-in. Served only when the app configures passkeys. */
export const passkeyRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/account/webauthn/register/options',
    operationId: 'webauthnRegistrationOptions',
    summary: 'Options to create a passkey in the browser',
    tags: ['Passkeys'],
    auth: 'account',
    requires: 'webauthn',
    responses: { 200: creationOptions },
    errors: ['not_found', 'account_locked'],
    handler: async ({ auth, group, claims }) =>
      json(200, await auth.webauthnRegistrationOptions({ group, accountId: claims.sub })),
  }),
  defineRoute({
    method: 'POST',
    path: '/account/webauthn/register/verify',
    operationId: 'verifyWebauthnRegistration',
    summary: 'Add the passkey the browser created',
    tags: ['Passkeys'],
    auth: 'account',
    requires: 'webauthn',
    otp: true,
    body: webauthnRegistrationBody,
    responses: { 200: registeredPasskey },
    errors: ['not_found', 'account_locked', 'invalid_credentials', 'invalid_two_factor', 'rate_limited', 'invalid_token', 'conflict'],
    handler: async ({ auth, group, claims, body, otp, client }) =>
      json(200, await auth.verifyWebauthnRegistration({ group, accountId: claims.sub, ...body, otp, ...client })),
  }),
  defineRoute({
    method: 'GET',
    path: '/account/webauthn/credentials',
    operationId: 'listWebauthnCredentials',
    summary: 'The account’s passkeys',
    tags: ['Passkeys'],
    auth: 'account',
    requires: 'webauthn',
    responses: { 200: passkeyList },
    errors: ['not_found', 'account_locked'],
    handler: async ({ auth, group, claims }) =>
      json(200, { data: await auth.listWebauthnCredentials({ group, accountId: claims.sub }), nextCursor: null }),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/account/webauthn/credentials/{id}',
    operationId: 'renameWebauthnCredential',
    summary: 'Rename a passkey',
    tags: ['Passkeys'],
    auth: 'account',
    requires: 'webauthn',
    body: webauthnRenameBody,
    responses: { 200: passkey },
    errors: ['not_found', 'account_locked'],
    handler: async ({ auth, group, claims, params, body }) =>
      json(200, await auth.renameWebauthnCredential({ group, accountId: claims.sub, credentialId: params.id!, name: body.name })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/webauthn/credentials/{id}',
    operationId: 'deleteWebauthnCredential',
    summary: 'Remove a passkey',
    tags: ['Passkeys'],
    auth: 'account',
    requires: 'webauthn',
    otp: true,
    body: proofBody,
    responses: { 204: null },
    errors: ['not_found', 'account_locked', 'invalid_two_factor', 'invalid_credentials', 'rate_limited'],
    handler: async ({ auth, group, claims, params, body, otp, client }) => {
      await auth.deleteWebauthnCredential({ group, accountId: claims.sub, credentialId: params.id!, ...body, otp, ...client });
      return json(204);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/webauthn/login/options',
    operationId: 'webauthnLoginOptions',
    summary: 'Options to sign in with a passkey (discoverable without `email`)',
    tags: ['Passkeys'],
    auth: 'none',
    requires: 'webauthn',
    body: webauthnLoginOptionsBody,
    responses: { 200: requestOptions },
    errors: ['not_found', 'rate_limited'],
    handler: async ({ auth, group, body, client }) =>
      json(200, await auth.webauthnLoginOptions({ group, email: body.email, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/webauthn/login/verify',
    operationId: 'verifyWebauthnLogin',
    summary: 'Sign in with a passkey',
    tags: ['Passkeys'],
    auth: 'none',
    requires: 'webauthn',
    body: webauthnLoginBody,
    responses: { 200: tokenResponse },
    errors: ['not_found', 'invalid_token', 'invalid_credentials', 'account_locked', 'two_factor_required', 'invalid_two_factor', 'rate_limited'],
    handler: async ({ auth, group, body, client }) => json(200, await auth.verifyWebauthnLogin({ group, ...body, ...client })),
  }),
];
