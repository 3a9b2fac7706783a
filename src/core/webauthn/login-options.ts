import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { normalizeEmail } from '../internal/accounts/normalize.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { isAuthError } from '../errors.js';
import { issueWebauthnChallenge } from '../internal/webauthn/challenge.js';
import { requireWebauthn } from '../internal/webauthn/config.js';
import { webauthnLibrary } from '../internal/webauthn/library.js';
import { admitClient } from '../limits/client-limit.js';

/**
 * What `auth.webauthnLoginOptions` takes: an email for email-first sign-in, or none for a discoverable
 * one; the caller's address counts against the challenge budget.
 */
export interface WebauthnLoginOptionsInput extends RequestInfo {
  /** Default `default`. */
  group?: string | undefined;
  /** Email-first sign-in; without it the sign-in is discoverable (usernameless). */
  email?: string | undefined;
}

/** The `webauthnLoginOptions` operation of `Auth`: the one place its documentation lives. */
export const webauthnLoginOptionsOperation = {
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
  webauthnLoginOptions,
};

/** See {@link webauthnLoginOptionsOperation}. */
export async function webauthnLoginOptions(
  ctx: AuthContext,
  input: WebauthnLoginOptionsInput = {},
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const config = requireWebauthn(ctx);
  const group = input.group ?? DEFAULT_GROUP;
  // Each call stores a challenge: one client must not be able to write rows without bound.
  await admitClient(ctx, 'challenge', input.ip);
  let accountId: string | null = null;
  let allowCredentials: { id: string }[] = [];

  if (input.email !== undefined) {
    const email = looseEmail(input.email);
    const found = await ctx.storage.accounts.findByEmail(group, email);
    const account = found && found.status !== 'deleted' ? found : null;
    const passkeys = account ? await ctx.storage.webauthnCredentials.listByAccount(group, account.id) : [];
    accountId = account?.id ?? null;
    // Ids only, never transports: a decoy's transports would have to be invented, and any difference
    // from a real passkey's would tell the two apart. Browsers then try every transport they have.
    allowCredentials =
      passkeys.length > 0
        ? passkeys.map((p) => ({ id: p.id }))
        : [{ id: ctx.hashCode(`webauthn-decoy:${group}:${email}`) }];
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
