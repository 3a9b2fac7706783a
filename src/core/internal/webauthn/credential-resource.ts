import { AuthError } from '../../errors.js';
import type { WebAuthnCredentialRecord } from '../../ports.js';

/** A passkey as the owner sees it. Public keys and counters stay server-side. */
export interface WebauthnCredentialResource {
  /** The credential id, base64url. */
  id: string;
  name: string;
  createdAt: string;
  /** The last sign-in with it; null until the first. */
  lastUsedAt: string | null;
}

/** Renders a stored passkey. */
export function toCredentialResource(record: WebAuthnCredentialRecord): WebauthnCredentialResource {
  return {
    id: record.id,
    name: record.name,
    createdAt: record.createdAt.toISOString(),
    lastUsedAt: record.lastUsedAt ? record.lastUsedAt.toISOString() : null,
  };
}

/** The answer for a passkey that does not exist or is another account's: the two look the same. */
export const NO_SUCH_PASSKEY = 'No such passkey.';

export const MAX_PASSKEY_NAME = 100;

/**
 * A passkey name as stored: trimmed, NFC, 1 to 100 characters, no control characters.
 *
 * @throws AuthError `validation_failed`
 */
export function normalizePasskeyName(name: string): string {
  const normalized = name.normalize('NFC').trim();
  // eslint-disable-next-line no-control-regex
  if (normalized.length === 0 || normalized.length > MAX_PASSKEY_NAME || /[\u0000-\u001f\u007f]/.test(normalized)) {
    throw new AuthError('validation_failed', 'The passkey name is not valid.', {
      details: [{ path: 'name', message: `must be 1 to ${MAX_PASSKEY_NAME} characters, without control characters` }],
    });
  }
  return normalized;
}

/** The name of a passkey whose owner gave none: `Passkey (2030-01-01)`. */
export function defaultPasskeyName(createdAt: Date): string {
  return `Passkey (${createdAt.toISOString().slice(0, 10)})`;
}
