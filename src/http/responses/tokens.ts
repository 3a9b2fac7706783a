import type { JWK } from 'jose';
import { z } from 'zod';
import type { SupportSessionResponse } from '../../core/accounts/start-support-session.js';
import type { TokenResponse } from '../../core/internal/sessions/open-session.js';
import type { IntrospectionResult } from '../../core/tokens/introspect-token.js';
import { component } from '../openapi/components.js';
import { account } from './account.js';
import type { Assignable, Same } from './same.js';

/** What every sign-in answers (api.md, "Tokens"). */
export const tokenResponse = component(
  'TokenResponse',
  z.object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    account,
    twoFactorSetupRequired: z.literal(true).optional(),
  }),
  'A signed-in session: a short-lived access token (JWT), its single-use refresh token, and the account. ' +
    '`twoFactorSetupRequired` is true when the session is held to the two-factor setup routes.',
);

/** `POST /accounts/{id}/support-session`: a token for the account, acted by the administrator. */
export const supportSession = component(
  'SupportSession',
  z.object({
    accessToken: z.string(),
    refreshToken: z.null(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    account,
    act: z.object({ sub: z.string() }),
  }),
  'A support session: an access token for the account, carrying `act` (the administrator); it cannot be refreshed.',
);

/** `POST /token/introspect` (RFC 7662 §2.2). */
export const introspection = component(
  'Introspection',
  z.union([
    z.object({ active: z.literal(false) }),
    z.object({
      active: z.literal(true),
      sub: z.string(),
      grp: z.string(),
      sid: z.string(),
      exp: z.number().int(),
      iat: z.number().int(),
      scope: z.string().optional(),
      token_type: z.enum(['access_token', 'refresh_token']),
      username: z.string().optional(),
      act: z.unknown().optional(),
    }),
  ]),
  'RFC 7662: `{ active: false }` for any token that is not active, or the facts of an active one.',
);

/** `POST /token/revoke` (RFC 7009 §2.2): always an empty object. */
export const revoked = component('Revoked', z.object({}), 'Always an empty object (RFC 7009 §2.2).');

/** One public signing key: never a private part. */
const publicKey = z.object({
  kty: z.string(),
  kid: z.string(),
  alg: z.string(),
  use: z.string().optional(),
  crv: z.string().optional(),
  x: z.string().optional(),
  y: z.string().optional(),
  n: z.string().optional(),
  e: z.string().optional(),
});

/** `GET /.well-known/jwks.json`. */
export const jwks = component(
  'Jwks',
  z.object({ keys: z.array(publicKey) }),
  'The group’s public signing keys (RFC 7517): the current one, and retired ones whose tokens may still be alive.',
);

true satisfies Same<z.output<typeof tokenResponse>, TokenResponse>;
true satisfies Same<z.output<typeof supportSession>, SupportSessionResponse>;
true satisfies Same<z.output<typeof introspection>, IntrospectionResult>;
// Every key the schema allows is a JWK; the core's type is wider (it allows private parts, never sent).
true satisfies Assignable<z.output<typeof jwks>, { keys: JWK[] }>;
