import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import type { WebauthnCredentialResource } from '../../core/internal/webauthn/credential-resource.js';
import type { RegisteredPasskey } from '../../core/webauthn/verify-registration.js';
import { component, page } from '../openapi/components.js';
import { time } from './account.js';
import type { Assignable, Same } from './same.js';

const userVerification = z.enum(['discouraged', 'preferred', 'required']);
const hints = z.array(z.enum(['hybrid', 'security-key', 'client-device']));
const extensions = z.object({
  appid: z.string().optional(),
  credProps: z.boolean().optional(),
  hmacCreateSecret: z.boolean().optional(),
  minPinLength: z.boolean().optional(),
  prf: z.unknown().optional(),
});
const descriptor = z.object({ id: z.string(), type: z.string(), transports: z.array(z.string()).optional() });

/** `POST /account/webauthn/register/options`: WebAuthn's `PublicKeyCredentialCreationOptionsJSON`. */
export const creationOptions = component(
  'PasskeyCreationOptions',
  z.object({
    rp: z.object({ id: z.string().optional(), name: z.string() }),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
    challenge: z.string(),
    pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal('public-key') })),
    timeout: z.number().int().optional(),
    excludeCredentials: z.array(descriptor).optional(),
    authenticatorSelection: z
      .object({
        authenticatorAttachment: z.enum(['cross-platform', 'platform']).optional(),
        requireResidentKey: z.boolean().optional(),
        residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
        userVerification: userVerification.optional(),
      })
      .optional(),
    hints: hints.optional(),
    attestation: z.enum(['direct', 'enterprise', 'indirect', 'none']).optional(),
    attestationFormats: z.array(z.string()).optional(),
    extensions: extensions.optional(),
  }),
  'WebAuthn `PublicKeyCredentialCreationOptionsJSON`: pass it to `navigator.credentials.create` (after `PublicKeyCredential.parseCreationOptionsFromJSON`).',
);

/** `POST /webauthn/login/options`: WebAuthn's `PublicKeyCredentialRequestOptionsJSON`. */
export const requestOptions = component(
  'PasskeyRequestOptions',
  z.object({
    challenge: z.string(),
    timeout: z.number().int().optional(),
    rpId: z.string().optional(),
    allowCredentials: z.array(descriptor).optional(),
    userVerification: userVerification.optional(),
    hints: hints.optional(),
    extensions: extensions.optional(),
  }),
  'WebAuthn `PublicKeyCredentialRequestOptionsJSON`: pass it to `navigator.credentials.get`; no `allowCredentials` for a discoverable sign-in.',
);

/** A passkey as its owner sees it. */
export const passkey = component(
  'Passkey',
  z.object({ id: z.string(), name: z.string(), createdAt: time, lastUsedAt: time.nullable() }),
  'A passkey of the account: its credential id (base64url), name, and times. Public keys stay on the server.',
);

/** `GET /account/webauthn/credentials`: every passkey, on one page. */
export const passkeyList = page('PasskeyList', passkey, 'The account’s passkeys (one page: `nextCursor` is null).');

/** `POST /account/webauthn/register/verify`. */
export const registeredPasskey = component(
  'RegisteredPasskey',
  z.object({ id: z.string(), name: z.string(), createdAt: time }),
  'The passkey just added.',
);

true satisfies Same<z.output<typeof passkey>, WebauthnCredentialResource>;
true satisfies Same<z.output<typeof registeredPasskey>, RegisteredPasskey>;
// The library's option types: what it produces fits the schemas.
true satisfies Assignable<PublicKeyCredentialCreationOptionsJSON, z.output<typeof creationOptions>>;
true satisfies Assignable<PublicKeyCredentialRequestOptionsJSON, z.output<typeof requestOptions>>;
