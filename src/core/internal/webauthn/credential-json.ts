/**
 * The JSON a browser's `navigator.credentials.create()` / `.get()` result serialises to (what
 * `PublicKeyCredential.toJSON()` and `@simplewebauthn/browser` produce). Binary fields are base64url.
 * Only the fields latchkey reads are typed; others pass through to the verifier untouched.
 */
export interface PasskeyCredentialJSON<Response> {
  /** The credential id, base64url (equal to `rawId`). */
  id: string;
  rawId: string;
  type: 'public-key';
  response: Response;
  clientExtensionResults?: object;
  authenticatorAttachment?: 'platform' | 'cross-platform' | undefined;
}

/** What `navigator.credentials.create()` answers: a new passkey and its attestation. */
export type PasskeyRegistrationJSON = PasskeyCredentialJSON<{
  clientDataJSON: string;
  attestationObject: string;
  transports?: string[] | undefined;
}>;

/** What `navigator.credentials.get()` answers: a signature over the challenge. */
export type PasskeyAuthenticationJSON = PasskeyCredentialJSON<{
  clientDataJSON: string;
  authenticatorData: string;
  signature: string;
  /** The `user.id` given at registration (latchkey's account id), for discoverable passkeys. */
  userHandle?: string | undefined;
}>;
