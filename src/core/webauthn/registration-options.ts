import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { AuthContext } from '../context.js';
import { utf8 } from '../lib/encoding.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { issueWebauthnChallenge } from '../internal/webauthn/challenge.js';
import { requireWebauthn } from '../internal/webauthn/config.js';
import { webauthnLibrary } from '../internal/webauthn/library.js';
import { groupOf } from '../lib/group-of.js';

/** What `auth.webauthnRegistrationOptions` takes: the signed-in account that will own the new passkey. */
export interface WebauthnRegistrationOptionsInput {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  /** The signed-in account (the access token's `sub`). */
  accountId: string;
}

/** The `webauthnRegistrationOptions` operation of `Auth`: the one place its documentation lives. */
export const webauthnRegistrationOptionsOperation = {
  /**
   * Starts adding a passkey to the signed-in account: the options for `navigator.credentials.create()`
   * (or `@simplewebauthn/browser`'s `startRegistration`).
   *
   * - `user.id` is the account id (bytes of its UTF-8), `user.name` the email, `user.displayName` the
   *   name (else the email); the RP is the `webauthn` option's `rpID` and `rpName`.
   * - `excludeCredentials` lists the account's passkeys, so an authenticator that already holds one is
   *   not registered twice.
   * - A discoverable credential is required (`residentKey: 'required'`), so the passkey can sign in
   *   without an email; `userVerification` and `attestation` come from the options.
   * - The challenge (256 random bits) is stored as its SHA-256, bound to this account, for
   *   `challengeTtl` seconds (default 5 minutes), and works once. Several may be outstanding (tabs).
   *
   * @throws AuthError `not_found` (passkeys not enabled, no such account), `account_locked`
   * @example
   * ```ts
   * const options = await auth.webauthnRegistrationOptions({ group: claims.grp, accountId: claims.sub })
   * const credential = await startRegistration({ optionsJSON: options }) // in the browser
   * ```
   */
  webauthnRegistrationOptions,
};

/** See {@link webauthnRegistrationOptionsOperation}. */
export async function webauthnRegistrationOptions(
  ctx: AuthContext,
  input: WebauthnRegistrationOptionsInput,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const config = requireWebauthn(ctx);
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  const existing = await ctx.storage.webauthnCredentials.listByAccount(account.group, account.id);
  const challenge = await issueWebauthnChallenge(ctx, config, {
    purpose: 'registration',
    group: account.group,
    accountId: account.id,
  });
  const displayName = [account.firstName, account.lastName].filter(Boolean).join(' ') || account.email;
  const { generateRegistrationOptions } = await webauthnLibrary();
  return generateRegistrationOptions({
    rpName: config.rpName,
    rpID: config.rpID,
    userID: utf8(account.id),
    userName: account.email,
    userDisplayName: displayName,
    challenge,
    timeout: config.challengeTtl * 1000,
    attestationType: config.attestation,
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: config.userVerification },
  });
}
