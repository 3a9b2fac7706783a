import { defineRoute, type Route } from '../route.js';
import {
  proofBody,
  webauthnLoginBody,
  webauthnLoginOptionsBody,
  webauthnRegistrationBody,
  webauthnRenameBody,
} from '../schemas.js';
import { json } from './json.js';

/** Passkeys (WebAuthn): registration, credentials, sign-in. */
export const passkeyRoutes: Route[] = [
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
      return json(200, await auth.verifyWebauthnRegistration({ group, accountId: claims.sub, ...body, otp, ...client }));
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
    body: proofBody,
    handler: async ({ auth, group, claims, params, body, request, client }) => {
      const otp = request.header('x-otp');
      await auth.deleteWebauthnCredential({ group, accountId: claims.sub, credentialId: params.id!, ...body, otp, ...client });
      return json(204);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/webauthn/login/options',
    auth: 'none',
    body: webauthnLoginOptionsBody,
    handler: async ({ auth, group, body, client }) =>
      json(200, await auth.webauthnLoginOptions({ group, email: body.email, ...client })),
  }),
  defineRoute({
    method: 'POST',
    path: '/webauthn/login/verify',
    auth: 'none',
    body: webauthnLoginBody,
    handler: async ({ auth, group, body, client }) => json(200, await auth.verifyWebauthnLogin({ group, ...body, ...client })),
  }),
];
