import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { normalizeEmail } from '../accounts/normalize.js';
import type { AuthContext } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { isAuthError } from '../errors.js';
import { issueWebauthnChallenge } from './challenge.js';
import { requireWebauthn } from './config.js';
import { webauthnLibrary } from './library.js';

export interface WebauthnLoginOptionsInput {
  /** Default `default`. */
  group?: string | undefined;
  /** Email-first sign-in; without it the sign-in is discoverable (usernameless). */
  email?: string | undefined;
}

/** What a decoy credential claims to be reached over: what a platform passkey usually reports. */
const DECOY_TRANSPORTS = ['hybrid', 'internal'];

/**
 * Starts a passkey sign-in: the options for `navigator.credentials.get()` (or
 * `@simplewebauthn/browser`'s `startAuthentication`). The challenge (256 random bits, stored as its
 * SHA-256, single use, `challengeTtl` seconds) is bound to the account when the email names one, so only
 * that account's passkeys can answer it; otherwise to no account.
 *
 * - Without `email`: discoverable sign-in, `allowCredentials` empty; the browser offers the passkeys it
 *   holds for the RP ID.
 * - With `email`: `allowCredentials` lists that account's passkeys. An email without an account (or
 *   whose account has no passkey) gets a decoy instead: one credential id derived from the email with a
 *   keyed hash, the same on every request, so the answer does not tell whether the email is
 *   registered. (An account with several passkeys lists several; that much shows.)
 *
 * @throws AuthError `not_found` (passkeys not enabled)
 * @example
 * ```ts
 * const options = await auth.webauthnLoginOptions({ email: form.email })
 * const credential = await startAuthentication({ optionsJSON: options }) // in the browser
 * ```
 */
export async function webauthnLoginOptions(
  ctx: AuthContext,
  input: WebauthnLoginOptionsInput = {},
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const config = requireWebauthn(ctx);
  const group = input.group ?? DEFAULT_GROUP;
  let accountId: string | null = null;
  let allowCredentials: { id: string; transports: string[] }[] = [];

  if (input.email !== undefined) {
    const email = looseEmail(input.email);
    const found = await ctx.storage.accounts.findByEmail(group, email);
    const account = found && found.status !== 'deleted' ? found : null;
    const passkeys = account ? await ctx.storage.webauthnCredentials.listByAccount(group, account.id) : [];
    accountId = account?.id ?? null;
    allowCredentials =
      passkeys.length > 0
        ? passkeys.map((p) => ({ id: p.id, transports: p.transports }))
        : [{ id: ctx.hashCode(`webauthn-decoy:${group}:${email}`), transports: DECOY_TRANSPORTS }];
  }

  const challenge = await issueWebauthnChallenge(ctx, config, { purpose: 'authentication', group, accountId });
  const { generateAuthenticationOptions } = await webauthnLibrary();
  return generateAuthenticationOptions({
    rpID: config.rpID,
    challenge,
    timeout: config.challengeTtl * 1000,
    userVerification: config.userVerification,
    allowCredentials,
  });
}

/** A malformed email is looked up like any other (and finds nothing): the answer is a decoy. */
function looseEmail(email: string): string {
  try {
    return normalizeEmail(email);
  } catch (error) {
    if (isAuthError(error, 'validation_failed')) return email.trim().normalize('NFKC').toLowerCase();
    throw error;
  }
}
