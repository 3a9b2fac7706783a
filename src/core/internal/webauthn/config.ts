import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';

/** The `webauthn` option with its defaults filled in: what every passkey operation works with. */
export interface WebauthnConfig {
  rpID: string;
  rpName: string;
  /** Origins as browsers report them (`new URL(o).origin`: no path, no trailing slash). */
  origins: string[];
  userVerification: 'required' | 'preferred' | 'discouraged';
  attestation: 'none' | 'direct' | 'enterprise';
  /** Seconds. */
  challengeTtl: number;
}

/** The `not_found` message of every passkey operation and route when the app did not enable passkeys. */
export const PASSKEYS_NOT_ENABLED = 'Passkeys are not enabled.';

/**
 * The passkey configuration, or `not_found` when the app did not enable passkeys: without an RP ID and
 * the allowed origins there is nothing safe to verify against, so the routes behave as if absent.
 *
 * @throws AuthError `not_found`
 */
export function requireWebauthn(ctx: AuthContext): WebauthnConfig {
  const options = ctx.options.webauthn;
  if (!options) throw new AuthError('not_found', PASSKEYS_NOT_ENABLED);
  return {
    rpID: options.rpID,
    rpName: options.rpName ?? ctx.options.email.appName ?? ctx.options.issuer,
    // `https://app.example.com/` in the options must still match what the browser reports.
    origins: [...new Set(options.origins.map((origin) => new URL(origin).origin))],
    userVerification: options.userVerification,
    attestation: options.attestation,
    challengeTtl: options.challengeTtl,
  };
}
