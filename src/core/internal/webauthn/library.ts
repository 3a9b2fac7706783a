type SimpleWebAuthn = typeof import('@simplewebauthn/server');

let loading: Promise<SimpleWebAuthn> | undefined;

/**
 * `@simplewebauthn/server`, loaded on first use. It pulls in ASN.1 and X.509 code that takes a few
 * hundred milliseconds to load, which an app without passkeys should not pay at start-up.
 */
export function webauthnLibrary(): Promise<SimpleWebAuthn> {
  return (loading ??= import('@simplewebauthn/server'));
}

/** The verifier's reason for a refusal, for the log: its messages name origins and RP IDs, never secrets. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : String(error);
}
