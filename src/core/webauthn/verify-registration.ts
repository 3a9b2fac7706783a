import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { toAccountResource } from '../internal/accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError, isAuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { toBase64Url } from '../lib/encoding.js';
import type { WebAuthnCredentialRecord } from '../ports.js';
import { assertFactorChangeProof } from '../internal/two-factor/factor-change-proof.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { notifyFactorChange } from '../internal/two-factor/notify-factor-change.js';
import { challengeOfResponse, consumeWebauthnChallenge, INVALID_CHALLENGE } from '../internal/webauthn/challenge.js';
import { requireWebauthn } from '../internal/webauthn/config.js';
import type { PasskeyRegistrationJSON } from '../internal/webauthn/credential-json.js';
import { defaultPasskeyName, normalizePasskeyName, type WebauthnCredentialResource } from '../internal/webauthn/credential-resource.js';
import { reasonOf, webauthnLibrary } from '../internal/webauthn/library.js';
import { groupOf } from '../lib/group-of.js';
import { inTransaction } from '../internal/transaction.js';

/**
 * What `auth.verifyWebauthnRegistration` takes: the browser's answer to the registration options, a
 * name for the passkey, and the owner's proof (`password` before any second factor is on, `otp` after).
 */
export interface VerifyWebauthnRegistrationInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  /** The signed-in account (the access token's `sub`): the one the challenge was issued to. */
  accountId: string;
  /** The browser's answer to the registration options. */
  credential: PasskeyRegistrationJSON;
  /** What the owner calls it (default `Passkey (YYYY-MM-DD)`). */
  name?: string | undefined;
  /**
   * When the account has a second factor (HTTP: the `x-otp` header): a current TOTP, an unused recovery
   * code, or a code sent to an already enabled email/SMS channel.
   */
  otp?: string | null | undefined;
  /** When the account has no second factor: its password. */
  password?: string | null | undefined;
}

/** The passkey's id, name and creation time. */
export type RegisteredPasskey = Pick<WebauthnCredentialResource, 'id' | 'name' | 'createdAt'>;

export const PASSKEY_NOT_VERIFIED = 'The passkey could not be verified.';

/** The `verifyWebauthnRegistration` operation of `Auth`: the one place its documentation lives. */
export const verifyWebauthnRegistrationOperation = {
  /**
   * Completes adding a passkey. In order:
   *
   * 0. A proof of the owner on top of the access token, which may be stolen, even right after signing
   *    in (see `assertFactorChangeProof`): an account with a second factor gives `otp` (TOTP, recovery code, or a
   *    code of an already enabled channel), one without gives its `password`. A missing proof is refused
   *    (`validation_failed`) before anything is looked at; a wrong one (`invalid_two_factor` /
   *    `invalid_credentials`, throttled like logins) is refused before the challenge is used, so neither
   *    spends it. A right proof is used up even if the challenge then turns out dead.
   * 1. The challenge the response answers is used up, atomically: it must be a live registration
   *    challenge of this group issued to *this* account. Unknown, expired, replayed and other accounts'
   *    challenges answer `invalid_token`; in every case the challenge is spent.
   * 2. The response is verified (`@simplewebauthn/server`): type `webauthn.create`, an allowed origin,
   *    the RP ID hash, user presence, user verification when `userVerification` is `required`, a
   *    supported key algorithm and the attestation statement. Any failure answers `validation_failed`
   *    (`details: [{ path: 'credential', message: 'could not be verified' }]`); the reason is logged
   *    at `info` for the app's developers, never returned.
   * 3. The passkey is stored (credential id and COSE public key base64url, signature counter,
   *    transports, device type, backup state) and `webauthn.credential-added` is emitted.
   *
   * @throws AuthError `not_found` (passkeys not enabled, no such account), `account_locked`,
   * `validation_failed` (also: no proof, detail `password` or `x-otp`), `invalid_credentials` (wrong
   * password), `invalid_two_factor` (wrong `otp`), `rate_limited`, `invalid_token`, `conflict` (the
   * credential id is already registered)
   * @example
   * ```ts
   * const passkey = await auth.verifyWebauthnRegistration({ group, accountId, credential, name: 'Laptop', password, ip })
   * ```
   */
  verifyWebauthnRegistration,
};

/** See {@link verifyWebauthnRegistrationOperation}. */
export async function verifyWebauthnRegistration(
  ctx: AuthContext,
  input: VerifyWebauthnRegistrationInput,
): Promise<RegisteredPasskey> {
  const config = requireWebauthn(ctx);
  const name = input.name === undefined ? undefined : normalizePasskeyName(input.name);
  const challenge = challengeOfResponse(input.credential?.response?.clientDataJSON);
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  await assertFactorChangeProof(ctx, account, { otp: input.otp, password: input.password, ip: input.ip });
  const record = await consumeWebauthnChallenge(ctx, { purpose: 'registration', group: account.group, challenge });
  if (record.accountId !== account.id) throw new AuthError('invalid_token', INVALID_CHALLENGE);

  const { verifyRegistrationResponse } = await webauthnLibrary();
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>> | null;
  try {
    verification = await verifyRegistrationResponse({
      // Only the typed fields were read here; the verifier checks the whole shape itself.
      response: input.credential as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: config.origins,
      expectedRPID: config.rpID,
      requireUserVerification: config.userVerification === 'required',
    });
    if (!verification.verified) throw new Error('the attestation statement is not valid');
  } catch (error) {
    ctx.logger.info('passkey registration refused', { group: account.group, accountId: account.id, reason: reasonOf(error) });
    verification = null;
  }
  if (!verification?.verified) {
    throw new AuthError('validation_failed', PASSKEY_NOT_VERIFIED, {
      details: [{ path: 'credential', message: 'could not be verified' }],
    });
  }

  const info = verification.registrationInfo;
  const now = ctx.clock.now();
  const passkey: WebAuthnCredentialRecord = {
    id: info.credential.id,
    group: account.group,
    accountId: account.id,
    publicKey: toBase64Url(info.credential.publicKey),
    counter: info.credential.counter,
    transports: info.credential.transports ?? input.credential.response.transports ?? [],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    name: name ?? defaultPasskeyName(now),
    createdAt: now,
    lastUsedAt: null,
  };
  try {
    // The passkey and its event are stored together.
    await inTransaction(ctx, async (tx) => {
      await tx.storage.webauthnCredentials.create(passkey);
      await emit(tx, 'webauthn.credential-added', account.group, { account: toAccountResource(account), credentialId: passkey.id });
    });
  } catch (error) {
    if (isAuthError(error, 'conflict')) throw new AuthError('conflict', 'This passkey is already registered.');
    throw error;
  }
  notifyFactorChange(ctx, account, `A passkey ("${passkey.name}") was added`);
  ctx.logger.info('passkey added', { group: account.group, accountId: account.id, deviceType: passkey.deviceType });
  return { id: passkey.id, name: passkey.name, createdAt: now.toISOString() };
}
