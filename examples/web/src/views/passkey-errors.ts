// What to say when a passkey ceremony fails in the browser (rather than on the server).

import { WebAuthnError } from '@simplewebauthn/browser';
import { LatchkeyClientError } from '../../../../src/client/index.js';

/** A message for a failed passkey ceremony, or null when `error` is not one of the browser's. */
export function passkeyProblem(error: unknown): string | null {
  if (error instanceof LatchkeyClientError) {
    if (error.code === 'not_found' || error.code === 'method_not_allowed') {
      return 'Passkeys are not available on this server yet.';
    }
    return null;
  }
  const name = error instanceof Error ? error.name : '';
  const code = error instanceof WebAuthnError ? error.code : '';
  if (code === 'ERROR_INVALID_RP_ID' || code === 'ERROR_INVALID_DOMAIN' || name === 'SecurityError') {
    return `Passkeys for this demo work at its configured address. ${localhostHint() ?? 'Open the demo at the address in PUBLIC_URL.'}`;
  }
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return 'This device already holds a passkey for your account.';
  if (code === 'ERROR_CEREMONY_ABORTED' || name === 'NotAllowedError' || name === 'AbortError') {
    return 'The passkey request was cancelled or timed out. Try again when you are ready.';
  }
  if (name === 'NotSupportedError') return 'This browser or device does not support passkeys.';
  return null;
}

/** At `127.0.0.1` the browser refuses the demo's RP ID (`localhost`): say where passkeys work. */
export function localhostHint(): string | null {
  if (window.location.hostname !== '127.0.0.1') return null;
  const port = window.location.port ? `:${window.location.port}` : '';
  return `Open http://localhost${port}/ to use them: browsers allow the RP ID “localhost” only at localhost.`;
}
